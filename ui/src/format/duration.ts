/** Formats a span in ms as `850 ms`, `12.3 s`, `4 m 05 s` or `2 h 03 m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} m ${String(Math.floor(s % 60)).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`
}

/** The time between two ISO instants, or from `start` to `now` (ms) while it runs; null before it starts. */
export function spanMs(start: string | null, end: string | null, now: number): number | null {
  if (!start) return null
  const from = Date.parse(start)
  const to = end ? Date.parse(end) : now
  return Number.isFinite(from) && Number.isFinite(to) ? Math.max(0, to - from) : null
}

/** Formats an ISO instant as local `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** Formats how long ago an ISO instant was, e.g. `3 s ago`. */
export function formatAgo(iso: string, now: number): string {
  const ms = now - Date.parse(iso)
  return Number.isFinite(ms) ? `${formatDuration(Math.max(0, ms))} ago` : iso
}
