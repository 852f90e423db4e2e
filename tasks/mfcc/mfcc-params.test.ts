import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../core/domain/index.ts'
import { countFrames, countMeydaFrames, parseMfccArgs } from './index.ts'

describe('parseMfccArgs', () => {
  it('fills in the defaults of SPEC §3', () => {
    expect(parseMfccArgs([32, 24, 1, 8000, 16000])).toEqual({
      nfilt: 32,
      numcep: 24,
      lowfreq: 1,
      highfreq: 8000,
      samplerate: 16000,
      winlen: 0.025,
      winstep: 0.01,
      nfft: 512,
      preemph: 0,
      ceplifter: 0,
      appendEnergy: false,
      engine: 'banzai',
    })
  })

  it('takes options', () => {
    expect(
      parseMfccArgs([26, 13, 0, 4000, 8000, { nfft: 256, preemph: 0.97, engine: 'meyda' }]),
    ).toMatchObject({ nfft: 256, preemph: 0.97, engine: 'meyda' })
  })

  it.each([
    [[32, 24, 1, 8000], 'EXTRACT_MFCC args'],
    [[32, 24, 1, 8000, 16000, { bogus: 1 }], 'EXTRACT_MFCC args[5]'],
    [[32, 24, 1, 8000, 16000, {}, {}], 'at most 6 args'],
    [[32, 24, 1, 8000, 16000, { nfft: 500 }], 'nfft must be a power of two, got 500'],
    [[32, 33, 1, 8000, 16000], 'numcep (33) must be at most nfilt (32)'],
    [[32, 24, 1, 9000, 16000], 'highfreq (9000) must be at most samplerate / 2 (8000)'],
    [[32, 24, 8000, 8000, 16000], 'lowfreq (8000) must be below highfreq (8000)'],
    [
      [32, 24, 1, 8000, 16000, { winlen: 0.05 }],
      'frame length 800 samples (winlen × samplerate) exceeds nfft 512',
    ],
  ])('rejects %j', (args, message) => {
    expect(() => parseMfccArgs(args)).toThrow(ValidationError)
    expect(() => parseMfccArgs(args)).toThrow(message)
  })
})

describe('frame counts', () => {
  it('python_speech_features: 1 + ceil((N − 400) / 160), at least one frame', () => {
    expect(countFrames(0, 400, 160)).toBe(1)
    expect(countFrames(400, 400, 160)).toBe(1)
    expect(countFrames(401, 400, 160)).toBe(2)
    expect(countFrames(51_278, 400, 160)).toBe(319)
  })

  it('meyda: 1 + floor((N − 512) / 160), none below one buffer', () => {
    expect(countMeydaFrames(511, 512, 160)).toBe(0)
    expect(countMeydaFrames(512, 512, 160)).toBe(1)
    expect(countMeydaFrames(51_278, 512, 160)).toBe(318)
  })
})
