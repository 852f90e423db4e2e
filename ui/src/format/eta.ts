/** One observation of a task's progress: `done` units at `at` ms. */
export interface ProgressSample {
  at: number
  done: number
}

/** How far back the rate looks, ms: long enough to smooth throttled reports, short enough to follow changes. */
export const ETA_WINDOW_MS = 30_000

/**
 * Estimated ms left for `total - done` units. The rate comes from the samples within
 * `ETA_WINDOW_MS` of the newest one (two or more needed), else from the average since the
 * task started; null when no rate can be told yet.
 */
export function estimateRemainingMs(
  samples: readonly ProgressSample[],
  total: number,
  startedAt: number | null,
  now: number,
): number | null {
  const last = samples[samples.length - 1]
  if (!last || total <= 0) return null
  const remaining = Math.max(0, total - last.done)
  if (remaining === 0) return 0
  const recent = samples.filter((s) => s.at >= last.at - ETA_WINDOW_MS)
  const first = recent[0]
  if (first && recent.length >= 2 && last.at > first.at && last.done > first.done) {
    return remaining / ((last.done - first.done) / (last.at - first.at))
  }
  if (startedAt !== null && now > startedAt && last.done > 0)
    return remaining / (last.done / (now - startedAt))
  return null
}

/** Adds a sample unless `done` is unchanged or went backwards (a retry restarts counting: start over). */
export function addSample(
  samples: readonly ProgressSample[],
  sample: ProgressSample,
  keep = 64,
): ProgressSample[] {
  const last = samples[samples.length - 1]
  if (last && sample.done === last.done) return samples as ProgressSample[]
  if (last && sample.done < last.done) return [sample]
  return [...samples, sample].slice(-keep)
}
