import type { MfccParams } from './mfcc-params.ts'
import { planMfcc, type MfccPlan } from './mfcc-plan.ts'
import { pffftHeap } from './pffft.ts'

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

/**
 * Writes the windowed frame starting at `start` into the float32 FFT's input (in the wasm heap),
 * zeros past the signal's end. Pre-emphasis y[n] = x[n] − p·x[n−1] (y[0] = x[0]) is applied here,
 * in float64 as python_speech_features does, rather than on a copy of the signal: with p = 0 it
 * leaves x exact.
 */
function loadFrame(
  plan: MfccPlan,
  heap: Float32Array,
  signal: Float32Array,
  start: number,
  preemph: number,
): void {
  const { window, frameLength } = plan
  const base = plan.fft.inputIndex
  const present = Math.max(0, Math.min(frameLength, signal.length - start))
  let previous = start > 0 && start <= signal.length ? signal[start - 1]! : 0
  for (let i = 0; i < present; i++) {
    const x = signal[start + i]!
    heap[base + i] = (x - preemph * previous) * window[i]!
    previous = x
  }
  for (let i = present; i < frameLength; i++) heap[base + i] = 0
}

/**
 * |X[k]|² / nfft into plan.power from the float32 FFT's output; returns the frame energy
 * (Σ power). A frame of zeros transforms to exact zeros, so silence still logs to ln(eps).
 */
function powerSpectrum(plan: MfccPlan, heap: Float32Array): number {
  const { power, nfft, binStride } = plan
  const out = plan.fft.outputIndex
  const scale = 1 / nfft
  const half = nfft / 2
  // PFFFT's ordered real output: X[0] and X[N/2] (both real) share the first complex slot.
  const dc = heap[out]!
  const nyquist = heap[out + 1]!
  power[0] = dc * dc * scale
  power[half] = nyquist * nyquist * scale
  let energy = power[0] + power[half]
  for (let k = 1, j = out + 2 * binStride; k < half; k++, j += 2 * binStride) {
    const re = heap[j]!
    const im = heap[j + 1]!
    const p = (re * re + im * im) * scale
    power[k] = p
    energy += p
  }
  return energy
}

/** The same as loadFrame + powerSpectrum in float64 (fft.js), for the frames float32 cannot resolve. */
function powerSpectrum64(plan: MfccPlan, signal: Float32Array, start: number, preemph: number): number {
  const { frame64, spectrum64, window, frameLength, power, nfft } = plan
  const present = Math.max(0, Math.min(frameLength, signal.length - start))
  let previous = start > 0 && start <= signal.length ? signal[start - 1]! : 0
  for (let i = 0; i < present; i++) {
    const x = signal[start + i]!
    frame64[i] = (x - preemph * previous) * window[i]!
    previous = x
  }
  frame64.fill(0, present)
  plan.fft64.realTransform(spectrum64, frame64)
  let energy = 0
  for (let k = 0; k <= nfft / 2; k++) {
    const re = spectrum64[2 * k]!
    const im = spectrum64[2 * k + 1]!
    const p = (re * re + im * im) / nfft
    power[k] = p
    energy += p
  }
  return energy
}

/**
 * ln (0 → eps) of the filter bank energies of plan.power into plan.logMel; false when one of
 * them is below its share of `energy` (plan.filterFloor), too small for the float32 spectrum.
 */
function applyFilters(plan: MfccPlan, energy: number): boolean {
  const { filterStart, filterOffset, filterWeights, filterFloor, logMel, power, nfilt } = plan
  let isAccurate = true
  for (let j = 0; j < nfilt; j++) {
    const end = filterOffset[j + 1]!
    let bin = filterStart[j]!
    let sum = 0
    for (let w = filterOffset[j]!; w < end; w++) sum += filterWeights[w]! * power[bin++]!
    if (sum < filterFloor[j]! * energy) isAccurate = false
    logMel[j] = Math.log(sum === 0 ? FLOAT64_EPS : sum)
  }
  return isAccurate
}

/** The DCT of plan.logMel into row `row` of `out`. */
function cepstrum(plan: MfccPlan, out: Float32Array, row: number): void {
  const { logMel, logMelSum, logMelDiff, dct, dctHalf, nfilt, numcep } = plan
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
 * pre-emphasis, lifter and log-energy c0. `signal` is mono at `params.samplerate`. Frames go
 * through a float32 FFT (PFFFT), those with a filter too quiet for it through a float64 one.
 */
export function computeMfcc(signal: Float32Array, params: MfccParams): MfccMatrix {
  const plan = planMfcc(params)
  const { frameLength, frameStep, numcep, fft } = plan
  const { preemph } = params
  // Taken after planMfcc: building a plan may grow the wasm heap, which replaces the view.
  const heap = pffftHeap()
  const frames = countFrames(signal.length, frameLength, frameStep)
  const data = new Float32Array(frames * numcep)
  for (let f = 0; f < frames; f++) {
    const start = f * frameStep
    loadFrame(plan, heap, signal, start, preemph)
    fft.transform()
    let energy = powerSpectrum(plan, heap)
    if (!applyFilters(plan, energy)) {
      energy = powerSpectrum64(plan, signal, start, preemph)
      applyFilters(plan, energy)
    }
    cepstrum(plan, data, f * numcep)
    if (params.appendEnergy) data[f * numcep] = Math.log(energy === 0 ? FLOAT64_EPS : energy)
  }
  return { data, frames, numcep }
}
