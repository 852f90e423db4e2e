/** The p-th percentile (0–100) of some numbers, nearest-rank; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]!
}

/** p50, p90, p99 and max of some numbers, rounded to `digits` decimals. */
export function summarize(
  values: number[],
  digits = 1,
): { n: number; p50: number; p90: number; p99: number; max: number } {
  const round = (x: number): number => Number(x.toFixed(digits))
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p90: round(percentile(values, 90)),
    p99: round(percentile(values, 99)),
    max: round(percentile(values, 100)),
  }
}
