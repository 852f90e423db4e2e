/** CPU time of this process so far (user + system), seconds. */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/** One measured pass over the corpus. */
export interface Pass {
  cpuSeconds: number
  /** Audio seconds processed per CPU second. */
  speed: number
}

/** Runs `work` over every item `repeats` times, measuring each pass in CPU time. */
export function measurePasses<T>(
  items: T[],
  audioSeconds: number,
  repeats: number,
  work: (item: T) => void,
): Pass[] {
  const passes: Pass[] = []
  for (let r = 0; r < repeats; r++) {
    const start = cpuSeconds()
    for (const item of items) work(item)
    const cpu = cpuSeconds() - start
    passes.push({ cpuSeconds: cpu, speed: audioSeconds / cpu })
  }
  return passes
}

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
