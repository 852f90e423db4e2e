/** A grouped horizontal bar chart: one group per category, one bar per series. */
export interface BarChart {
  title: string
  /** Unit of the values, shown on the axis (e.g. "s"). */
  unit: string
  series: string[]
  groups: { label: string; values: (number | null)[] }[]
  /** `shared`: one axis for all groups (default); `per-group`: each group scaled to its own largest bar (small multiples, no axis). */
  scale?: 'shared' | 'per-group'
}

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2']

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** A "nice" axis maximum at or above `max`: 1, 2 or 5 times a power of ten. */
function niceCeiling(max: number): number {
  if (max <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max) ?? 10 * power
}

function formatValue(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)
}

/** Renders the chart as a self-contained SVG document (no fonts or scripts to fetch). */
export function renderBarChart(chart: BarChart): string {
  const bar = 16
  const gap = 4
  const groupGap = 14
  const left = 150
  const plotWidth = 480
  const top = 56
  const groupHeight = chart.series.length * (bar + gap) - gap
  const height = top + chart.groups.length * (groupHeight + groupGap) + 40
  const width = left + plotWidth + 80
  const numbers = (values: (number | null)[]): number[] => values.filter((v): v is number => v !== null)
  const max = niceCeiling(Math.max(0, ...chart.groups.flatMap((g) => numbers(g.values))))
  const perGroup = chart.scale === 'per-group'
  const x = (v: number, groupMax = max): number => left + (v / groupMax) * plotWidth
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ]
  chart.series.forEach((name, i) => {
    const lx = left + i * 170
    out.push(
      `<rect x="${lx}" y="32" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`,
      `<text x="${lx + 16}" y="42">${escapeXml(name)}</text>`,
    )
  })
  const bottom = height - 30
  for (let t = 0; t <= 5 && !perGroup; t++) {
    const v = (max * t) / 5
    out.push(
      `<line x1="${x(v)}" y1="${top - 4}" x2="${x(v)}" y2="${bottom}" stroke="#ddd"/>`,
      `<text x="${x(v)}" y="${bottom + 14}" text-anchor="middle" fill="#555">${formatValue(v)}</text>`,
    )
  }
  const axisNote = perGroup ? `${chart.unit}; each row scaled to its own longest bar` : chart.unit
  out.push(
    `<text x="${left + plotWidth / 2}" y="${bottom + 28}" text-anchor="middle" fill="#555">${escapeXml(axisNote)}</text>`,
  )
  chart.groups.forEach((group, g) => {
    const gy = top + g * (groupHeight + groupGap)
    out.push(
      `<text x="${left - 8}" y="${gy + groupHeight / 2 + 4}" text-anchor="end">${escapeXml(group.label)}</text>`,
    )
    const groupMax = perGroup ? Math.max(...numbers(group.values), Number.MIN_VALUE) : max
    group.values.forEach((value, s) => {
      const y = gy + s * (bar + gap)
      if (value === null) {
        out.push(`<text x="${left + 4}" y="${y + bar - 4}" fill="#999">n/a</text>`)
        return
      }
      const w = Math.max(1, x(value, groupMax) - left)
      out.push(
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${COLORS[s % COLORS.length]}"><title>${escapeXml(`${chart.series[s]}: ${formatValue(value)} ${chart.unit}`)}</title></rect>`,
        `<text x="${(left + w + 4).toFixed(1)}" y="${y + bar - 4}">${formatValue(value)} ${perGroup ? escapeXml(chart.unit.split(' ')[0] ?? '') : ''}</text>`,
      )
    })
  })
  out.push(`<line x1="${left}" y1="${top - 4}" x2="${left}" y2="${bottom}" stroke="#333"/>`, '</svg>')
  return out.join('\n') + '\n'
}
