import { describe, expect, it } from 'vitest'
import { computeMfcc, FLOAT64_EPS, parseMfccArgs } from './index.ts'
import { computeMfccFloat64 } from './mfcc-float64.test-support.ts'

const params = parseMfccArgs([32, 24, 1, 8000, 16000])

describe('computeMfcc edge cases', () => {
  it('gives one frame of log(eps) for an empty signal, as python_speech_features does', () => {
    const { data, frames } = computeMfcc(new Float32Array(0), params)
    expect(frames).toBe(1)
    // Every log filter energy is ln(eps), so the orthonormal DCT is √32 · ln(eps) in c0 and 0 elsewhere.
    expect(data[0]).toBeCloseTo(Math.sqrt(32) * Math.log(FLOAT64_EPS), 3)
    expect(Math.max(...[...data.subarray(1)].map(Math.abs))).toBeLessThan(1e-4)
  })

  it('gives a silent frame exactly log(eps) even when the frame sharing its FFT is loud', () => {
    // Frames are transformed in pairs (2k, 2k + 1); frame 2 (samples 320…719) holds the end of the
    // noise burst, frame 3 (480…879) only zeros. Rounding crumbs of frame 2 must not leak into 3.
    const signal = new Float32Array(2400)
    for (let i = 0; i < 400; i++) signal[i] = Math.sin(i * 1.7) * 0.9
    const { data, numcep } = computeMfcc(signal, params)
    const row = (f: number): number[] => [...data.subarray(f * numcep, (f + 1) * numcep)]
    expect(row(3)).toEqual(row(4))
    expect(row(3)[0]).toBeCloseTo(Math.sqrt(32) * Math.log(FLOAT64_EPS), 3)
    expect(row(2)[0]).toBeGreaterThan(-100)
  })

  it('zero-pads the last frame instead of dropping the tail', () => {
    expect(computeMfcc(new Float32Array(401).fill(0.1), params).frames).toBe(2)
  })

  it('is the same whichever parameter set ran before (plans are cached per parameter set)', () => {
    const tone = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i / 5))
    const first = computeMfcc(tone, params)
    computeMfcc(tone, parseMfccArgs([20, 12, 100, 4000, 8000]))
    expect(computeMfcc(tone, params).data).toEqual(first.data)
  })

  it('appendEnergy puts the log frame energy in c0', () => {
    const tone = Float32Array.from({ length: 400 }, () => 0.5)
    const { data } = computeMfcc(tone, parseMfccArgs([32, 24, 1, 8000, 16000, { appendEnergy: true }]))
    // Energy = Σ|rfft|²/512 over bins 0…256 of the Hamming-windowed constant.
    expect(data[0]).toBeGreaterThan(Math.log(1e-3))
    expect(data[0]).toBeLessThan(Math.log(400 * 0.25))
  })
})

describe('computeMfcc precision (float32 FFT, float64 where it cannot resolve a filter)', () => {
  // A loud 300 Hz tone over noise 120 dB below it: the upper filters hold ~1e-12 of the frame
  // energy, under float32's resolution (~1e-7 of the amplitude). The engine must redo those frames
  // in float64: float32 alone is off by 1.7e-4 at the defaults and 1.6e-3 with lifter 22.
  const maxDiff = (a: Float32Array, b: Float32Array): number =>
    a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0)
  let seed = 1
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 1e-6
  const signal = Float32Array.from(
    { length: 8000 },
    (_, i) => 0.9 * Math.sin((2 * Math.PI * 300 * i) / 16000) + noise(),
  )

  it.each([
    ['the defaults', [32, 24, 1, 8000, 16000]],
    [
      'lifter 22, nfft 1024, energy',
      [
        40,
        13,
        300,
        7000,
        16000,
        { winlen: 0.05, winstep: 0.02, nfft: 1024, ceplifter: 22, appendEnergy: true },
      ],
    ],
    [
      'nfft 16 (a 32-point transform, even bins)',
      [8, 8, 0, 8000, 16000, { winlen: 0.001, winstep: 0.001, nfft: 16 }],
    ],
  ] as const)('stays within 1e-4 of a float64 pipeline with %s', (_, args) => {
    const params = parseMfccArgs([...args])
    // FLOAT32_ERROR_BUDGET in mfcc-plan.ts: a tenth of the golden tolerance.
    expect(
      maxDiff(computeMfcc(signal, params).data, computeMfccFloat64(signal, params).data),
    ).toBeLessThanOrEqual(1e-4)
  })
})
