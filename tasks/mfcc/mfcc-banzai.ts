import type { MfccParams } from './mfcc-params.ts'
import { planMfcc, type MfccPlan } from './mfcc-plan.ts'

/** An MFCC matrix: `frames` rows of `numcep` float32 values, row-major. */
export interface MfccMatrix {
  data: Float32Array
  frames: number
  numcep: number
}

/** numpy.finfo(float).eps: what python_speech_features puts in place of a zero before the log. */
export const FLOAT64_EPS = 2.220446049250313e-16

/** python_speech_features' frame count: 1 + ceil((N − frameLength) / frameStep), at least 1. */
export function countFrames(samples: number, frameLength: number, frameStep: number): number {
  return samples <= frameLength ? 1 : 1 + Math.ceil((samples - frameLength) / frameStep)
}

/** The signal in float64 (one element kind in the hot loop keeps V8 monomorphic), pre-emphasised when asked. */
function toFloat64(signal: Float32Array, preemph: number): Float64Array {
  const out = new Float64Array(signal)
  if (preemph > 0) for (let i = signal.length - 1; i > 0; i--) out[i] = signal[i]! - preemph * signal[i - 1]!
  return out
}

/** nonZero[i] = how many of samples[0 ..< i] are not 0: tells in O(1) whether a frame is all zeros. */
function countNonZero(samples: Float64Array): Int32Array {
  const counts = new Int32Array(samples.length + 1)
  let count = 0
  for (let i = 0; i < samples.length; i++) {
    if (samples[i] !== 0) count++
    counts[i + 1] = count
  }
  return counts
}

/** Writes the windowed frame starting at `start` into the real (part 0) or imaginary (part 1) slots of plan.frames, zero past the end. */
function loadFrame(plan: MfccPlan, samples: Float64Array, start: number, part: 0 | 1): void {
  const { frames, window, frameLength } = plan
  const present = Math.max(0, Math.min(frameLength, samples.length - start))
  for (let i = 0; i < present; i++) frames[2 * i + part] = samples[start + i]! * window[i]!
  for (let i = present; i < frameLength; i++) frames[2 * i + part] = 0
}

/** Loads frames A (real parts) and B (imaginary parts); one pass when both lie inside the signal. */
function loadFrames(plan: MfccPlan, samples: Float64Array, startA: number, startB: number): void {
  const { frames, window, frameLength } = plan
  if (startB + frameLength > samples.length) {
    loadFrame(plan, samples, startA, 0)
    loadFrame(plan, samples, startB, 1)
    return
  }
  for (let i = 0, j = 0; i < frameLength; i++, j += 2) {
    const w = window[i]!
    frames[j] = samples[startA + i]! * w
    frames[j + 1] = samples[startB + i]! * w
  }
}

/**
 * Two real frames for the price of one complex FFT (fft.js's complex 512-point transform costs
 * about 1.35× its real one): with z = a + ib, A[k] = (Z[k] + conj Z[N−k]) / 2 and
 * B[k] = (Z[k] − conj Z[N−k]) / 2i. Fills powerA / powerB with |·|² / nfft and plan.energies
 * with their sums. A frame of zeros gets exact zeros (not the other frame's rounding crumbs), so
 * silence still logs to ln(eps) as in python_speech_features.
 */
function powerSpectra(plan: MfccPlan, isNonZeroA: boolean, isNonZeroB: boolean): void {
  const { fft, frames, spectrum, powerA, powerB, energies, nfft } = plan
  fft.transform(spectrum, frames)
  const scale = 0.25 / nfft
  const half = nfft / 2
  // k = 0 and k = nfft/2 pair with themselves (Z[N − k] = Z[k]): |A|² = Re², |B|² = Im².
  const z0 = spectrum[0]!
  const i0 = spectrum[1]!
  const zh = spectrum[nfft]!
  const ih = spectrum[nfft + 1]!
  powerA[0] = 4 * z0 * z0 * scale
  powerB[0] = 4 * i0 * i0 * scale
  powerA[half] = 4 * zh * zh * scale
  powerB[half] = 4 * ih * ih * scale
  let energyA = powerA[0] + powerA[half]
  let energyB = powerB[0] + powerB[half]
  for (let k = 1, m = 2 * (nfft - 1); k < half; k++, m -= 2) {
    const zr = spectrum[2 * k]!
    const zi = spectrum[2 * k + 1]!
    const wr = spectrum[m]!
    const wi = spectrum[m + 1]!
    const a = ((zr + wr) * (zr + wr) + (zi - wi) * (zi - wi)) * scale
    const b = ((zi + wi) * (zi + wi) + (zr - wr) * (zr - wr)) * scale
    powerA[k] = a
    powerB[k] = b
    energyA += a
    energyB += b
  }
  if (!isNonZeroA) powerA.fill(0)
  if (!isNonZeroB) powerB.fill(0)
  energies[0] = isNonZeroA ? energyA : 0
  energies[1] = isNonZeroB ? energyB : 0
}

/** Filter bank, ln (0 → eps) and DCT of one power spectrum into row `row` of `out`. */
function cepstrum(plan: MfccPlan, power: Float64Array, out: Float32Array, row: number): void {
  const { filterStart, filterOffset, filterWeights, logMel, logMelSum, logMelDiff, dct, dctHalf, nfilt, numcep } = plan
  for (let j = 0; j < nfilt; j++) {
    const end = filterOffset[j + 1]!
    let bin = filterStart[j]!
    let sum = 0
    for (let w = filterOffset[j]!; w < end; w++) sum += filterWeights[w]! * power[bin++]!
    logMel[j] = Math.log(sum === 0 ? FLOAT64_EPS : sum)
  }
  // Fold for the symmetric DCT basis (mfcc-plan.ts buildDct); an odd middle term stands alone.
  for (let i = 0; i < dctHalf; i++) {
    const x = logMel[i]!
    const y = logMel[nfilt - 1 - i]!
    const isMiddle = i === nfilt - 1 - i
    logMelSum[i] = isMiddle ? x : x + y
    logMelDiff[i] = isMiddle ? 0 : x - y
  }
  for (let k = 0; k < numcep; k++) {
    const folded = (k & 1) === 0 ? logMelSum : logMelDiff
    const base = k * dctHalf
    let sum = 0
    for (let i = 0; i < dctHalf; i++) sum += dct[base + i]! * folded[i]!
    out[row + k] = sum
  }
}

/**
 * MFCCs with python_speech_features semantics (SPEC §3): symmetric Hamming frames, the last
 * zero-padded; |rfft|²/nfft; HTK-mel filters; ln (0 → eps); orthonormal DCT-II; optional
 * pre-emphasis, lifter and log-energy c0. `signal` is mono at `params.samplerate`.
 */
export function computeMfcc(signal: Float32Array, params: MfccParams): MfccMatrix {
  const plan = planMfcc(params)
  const { frameLength, frameStep, numcep, powerA, powerB, energies } = plan
  const samples = toFloat64(signal, params.preemph)
  const nonZero = countNonZero(samples)
  const isNonZero = (start: number): boolean => nonZero[Math.min(start + frameLength, samples.length)]! > nonZero[Math.min(start, samples.length)]!
  const frames = countFrames(samples.length, frameLength, frameStep)
  const data = new Float32Array(frames * numcep)
  for (let f = 0; f < frames; f += 2) {
    const hasB = f + 1 < frames
    // Past the last frame, B reads beyond the signal: all zeros.
    const startB = hasB ? (f + 1) * frameStep : samples.length
    loadFrames(plan, samples, f * frameStep, startB)
    powerSpectra(plan, isNonZero(f * frameStep), isNonZero(startB))
    const energyA = energies[0]!
    const energyB = energies[1]!
    cepstrum(plan, powerA, data, f * numcep)
    if (params.appendEnergy) data[f * numcep] = Math.log(energyA === 0 ? FLOAT64_EPS : energyA)
    if (!hasB) break
    cepstrum(plan, powerB, data, (f + 1) * numcep)
    if (params.appendEnergy) data[(f + 1) * numcep] = Math.log(energyB === 0 ? FLOAT64_EPS : energyB)
  }
  return { data, frames, numcep }
}
