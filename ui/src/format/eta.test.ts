import { describe, expect, it } from 'vitest'
import { addSample, estimateRemainingMs } from './eta.ts'

describe('estimateRemainingMs', () => {
  it('uses the recent rate when two samples or more are known', () => {
    // 100 units in 10 s → 10/s; 400 left → 40 s.
    expect(
      estimateRemainingMs(
        [
          { at: 0, done: 500 },
          { at: 10_000, done: 600 },
        ],
        1000,
        null,
        10_000,
      ),
    ).toBe(40_000)
  })
  it('falls back to the average since the start', () => {
    expect(estimateRemainingMs([{ at: 5_000, done: 250 }], 1000, 0, 5_000)).toBe(15_000)
  })
  it('says nothing without a rate, and zero when done', () => {
    expect(estimateRemainingMs([{ at: 5_000, done: 0 }], 1000, 0, 5_000)).toBeNull()
    expect(estimateRemainingMs([{ at: 5_000, done: 1000 }], 1000, 0, 5_000)).toBe(0)
  })
})

describe('addSample', () => {
  it('skips repeats and restarts when progress goes back (a retry)', () => {
    const a = addSample([], { at: 0, done: 1 })
    expect(addSample(a, { at: 1, done: 1 })).toHaveLength(1)
    expect(addSample(addSample(a, { at: 1, done: 5 }), { at: 2, done: 2 })).toEqual([{ at: 2, done: 2 }])
  })
})
