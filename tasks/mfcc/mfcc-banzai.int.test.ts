import { describe, expect, it } from 'vitest'
import { computeMfcc } from './mfcc-banzai.ts'
import { parseMfccArgs } from './mfcc-params.ts'
import { GOLDEN_UTTERANCES, maxAbsError, readFixtureWav, readGolden } from './golden.test-support.ts'

// SPEC §3 / fixtures README: golden values are rounded to 5 decimals and float32 output moves
// values by up to 3e-5, so 1e-3 leaves room for neither and catches any real semantic change.
const TOLERANCE = 1e-3

describe('computeMfcc against the python_speech_features reference', () => {
  it.each(GOLDEN_UTTERANCES)('%s: EXTRACT_MFCC(32, 24, 1, 8000, 16000)', async (utt) => {
    const { signal } = await readFixtureWav(`golden/${utt}.wav`)
    const ours = computeMfcc(signal, parseMfccArgs([32, 24, 1, 8000, 16000]))
    expect(maxAbsError(ours, await readGolden(`${utt}.mfcc.json`))).toBeLessThanOrEqual(TOLERANCE)
  })

  it.each(GOLDEN_UTTERANCES)('%s: with preemph 0.97', async (utt) => {
    const { signal } = await readFixtureWav(`golden/${utt}.wav`)
    const ours = computeMfcc(signal, parseMfccArgs([32, 24, 1, 8000, 16000, { preemph: 0.97 }]))
    expect(maxAbsError(ours, await readGolden(`${utt}.mfcc_preemph97.json`))).toBeLessThanOrEqual(TOLERANCE)
  })
})

describe('computeMfcc options against the reference', () => {
  it('honours winlen, winstep, nfft, nfilt, numcep, band edges, ceplifter and appendEnergy', async () => {
    // fixtures/golden/arctic_a0001.mfcc_options.json: made with the shared tools/mfcc_ref.py mfcc_psf.
    const { signal } = await readFixtureWav('golden/arctic_a0001.wav')
    const options = { winlen: 0.05, winstep: 0.02, nfft: 1024, ceplifter: 22, appendEnergy: true }
    const ours = computeMfcc(signal, parseMfccArgs([40, 13, 300, 7000, 16000, options]))
    expect(maxAbsError(ours, await readGolden('arctic_a0001.mfcc_options.json'))).toBeLessThanOrEqual(
      TOLERANCE,
    )
  })
})
