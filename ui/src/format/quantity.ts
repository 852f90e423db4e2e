const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

/** Formats a byte count with binary prefixes: `1.5 MiB`. */
export function formatBytes(n: number): string {
  let value = n
  let i = 0
  while (Math.abs(value) >= 1024 && i < BYTE_UNITS.length - 1) {
    value /= 1024
    i++
  }
  return `${i === 0 ? value : value.toFixed(1)} ${BYTE_UNITS[i]}`
}

/** Formats `done / total unit` of a progress, bytes with prefixes. */
export function formatProgress(done: number, total: number, unit: string): string {
  if (unit === 'bytes') return `${formatBytes(done)} / ${formatBytes(total)}`
  return `${done.toLocaleString('en')} / ${total.toLocaleString('en')} ${unit}`
}

/** Formats a 0–1 fraction as a percentage. */
export function formatPercent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)}%`
}
