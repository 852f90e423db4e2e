import { describe, expect, it } from 'vitest'
import { computeMfcc, FLOAT64_EPS, parseMfccArgs } from './index.ts'

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
