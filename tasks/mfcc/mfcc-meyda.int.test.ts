import { describe, expect, it } from 'vitest'
import { computeMeydaMfcc } from './mfcc-meyda.ts'
import { parseMfccArgs } from './mfcc-params.ts'
import { GOLDEN_UTTERANCES, maxAbsError, readFixtureWav, readGolden } from './golden.test-support.ts'

// Same tolerance as the default engine (SPEC §3): values rounded to 5 decimals, float32 storage.
const TOLERANCE = 1e-3

describe('computeMeydaMfcc against meyda 5.6.3 output', () => {
  it.each(GOLDEN_UTTERANCES)('%s: engine "meyda", 32 bands, 24 coefficients', async (utt) => {
    const { signal } = await readFixtureWav(`golden/${utt}.wav`)
    const ours = computeMeydaMfcc(signal, parseMfccArgs([32, 24, 1, 8000, 16000, { engine: 'meyda' }]))
    expect(maxAbsError(ours, await readGolden(`${utt}.meyda.json`))).toBeLessThanOrEqual(TOLERANCE)
  })

  it('recomputes the mel bank when only the rate changes (Meyda itself would keep the stale one)', async () => {
    const { signal } = await readFixtureWav('golden/arctic_a0001.wav')
    computeMeydaMfcc(signal, parseMfccArgs([32, 24, 1, 4000, 8000, { engine: 'meyda' }]))
    const ours = computeMeydaMfcc(signal, parseMfccArgs([32, 24, 1, 8000, 16000, { engine: 'meyda' }]))
    expect(maxAbsError(ours, await readGolden('arctic_a0001.meyda.json'))).toBeLessThanOrEqual(TOLERANCE)
  })
})
