import { describe, expect, it } from 'vitest'
import { type SplitRecording, splitByUtterance } from './split.ts'

const options = { validationSplit: 0.15, testSplit: 0.2, seed: 1 }

function recordings(speakers: string[], utterances: number): SplitRecording[] {
  return Array.from({ length: utterances }, (_, u) =>
    speakers.map((speaker) => ({ speaker, utterance: `u${String(u).padStart(2, '0')}` })),
  ).flat()
}

describe('splitByUtterance', () => {
  it('puts every utterance id in exactly one part, in the asked proportions (20 ids: 4 test, 3 validation)', () => {
    const split = splitByUtterance(recordings(['a', 'b', 'c'], 20), options)
    expect(split.test).toHaveLength(4)
    expect(split.validation).toHaveLength(3)
    expect(split.train).toHaveLength(13)
    const all = [...split.train, ...split.validation, ...split.test]
    expect(new Set(all).size).toBe(20)
    expect(split.reason).toBeUndefined()
  })

  it('is seeded: the same seed gives the same split, another seed another', () => {
    const data = recordings(['a', 'b'], 20)
    expect(splitByUtterance(data, options)).toEqual(splitByUtterance([...data].reverse(), options))
    expect(splitByUtterance(data, { ...options, seed: 2 }).test).not.toEqual(
      splitByUtterance(data, options).test,
    )
  })

  it('trains on everything, with a reason, below 3 utterance ids', () => {
    const split = splitByUtterance(recordings(['a', 'b'], 2), options)
    expect(split).toMatchObject({ train: ['u00', 'u01'], validation: [], test: [] })
    expect(split.reason).toMatch(/only 2 utterance ids/)
  })

  it('keeps at least one training id with 3 ids', () => {
    const split = splitByUtterance(recordings(['a'], 3), options)
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([1, 1, 1])
  })

  it('says why there is no test part when testSplit is 0', () => {
    const split = splitByUtterance(recordings(['a'], 10), { ...options, testSplit: 0 })
    expect(split.test).toEqual([])
    expect(split.reason).toMatch(/testSplit is 0/)
  })

  it('stratifies by speaker when speakers read different prompts, and keeps every speaker in training', () => {
    // a reads u00–u09, b reads u10–u19, c reads only u20: each group gets its share of the test part.
    const data: SplitRecording[] = [
      ...Array.from({ length: 10 }, (_, i) => ({
        speaker: 'a',
        utterance: `u${String(i).padStart(2, '0')}`,
      })),
      ...Array.from({ length: 10 }, (_, i) => ({ speaker: 'b', utterance: `u${10 + i}` })),
      { speaker: 'c', utterance: 'u20' },
    ]
    for (const seed of [1, 2, 3, 4, 5]) {
      const split = splitByUtterance(data, { ...options, seed })
      const testA = split.test.filter((id) => id < 'u10').length
      const testB = split.test.filter((id) => id >= 'u10' && id < 'u20').length
      expect(Math.abs(testA - testB)).toBeLessThanOrEqual(1)
      expect(split.train).toContain('u20')
    }
  })
})
