import FFT from 'fft.js'
import type { MfccParams } from './mfcc-params.ts'
import { roundHalfUp } from './mfcc-params.ts'

/** Everything about a parameter set that does not depend on the signal, computed once. */
export interface MfccPlan {
  frameLength: number
  frameStep: number
  nfft: number
  nfilt: number
  numcep: number
  /** Symmetric Hamming window, frameLength values. */
  window: Float64Array
  /** Sparse filter bank: filter j has weights filterWeights[filterOffset[j] ..< filterOffset[j + 1]] over bins filterStart[j] … */
  filterStart: Int32Array
  filterOffset: Int32Array
  filterWeights: Float64Array
  /** Orthonormal DCT-II rows 0 ..< numcep with the lifter folded in, over the first dctHalf inputs (see foldLogMel). */
  dct: Float64Array
  dctHalf: number
  fft: FFT
  /** Scratch buffers, reused by every frame (single-threaded: computeMfcc is synchronous). */
  /** Two frames interleaved as one complex signal: frame A in the real parts, frame B in the imaginary ones. */
  frames: Float64Array
  spectrum: Float64Array
  powerA: Float64Array
  powerB: Float64Array
  /** The frame energies of A and B (Σ power). */
  energies: Float64Array
  logMel: Float64Array
  /** logMel[n] + logMel[N−1−n] and logMel[n] − logMel[N−1−n] (the middle one alone when N is odd). */
  logMelSum: Float64Array
  logMelDiff: Float64Array
}

const hzToMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700)
const melToHz = (mel: number): number => 700 * (10 ** (mel / 2595) - 1)

/** python_speech_features.get_filterbanks' bin edges: floor((nfft + 1) · hz / samplerate) at nfilt + 2 mel-spaced points. */
function filterBins(p: MfccParams): number[] {
  const lo = hzToMel(p.lowfreq)
  const hi = hzToMel(p.highfreq)
  const count = p.nfilt + 2
  const step = (hi - lo) / (count - 1)
  // As numpy.linspace: i · step + start, the last point exactly `stop`.
  return Array.from({ length: count }, (_, i) => {
    const mel = i === count - 1 ? hi : i * step + lo
    return Math.floor(((p.nfft + 1) * melToHz(mel)) / p.samplerate)
  })
}

function buildFilterBank(p: MfccParams): Pick<MfccPlan, 'filterStart' | 'filterOffset' | 'filterWeights'> {
  const bins = filterBins(p)
  const half = p.nfft / 2
  const filterStart = new Int32Array(p.nfilt)
  const filterOffset = new Int32Array(p.nfilt + 1)
  const weights: number[] = []
  for (let j = 0; j < p.nfilt; j++) {
    const [b0, b1, b2] = [bins[j]!, bins[j + 1]!, bins[j + 2]!]
    // Bins past nfft/2 do not exist in the spectrum; psf's matrix has no column for them either.
    const end = Math.min(b2, half + 1)
    filterStart[j] = b0
    filterOffset[j] = weights.length
    for (let i = b0; i < end; i++) weights.push(i < b1 ? (i - b0) / (b1 - b0) : (b2 - i) / (b2 - b1))
  }
  filterOffset[p.nfilt] = weights.length
  return { filterStart, filterOffset, filterWeights: Float64Array.from(weights) }
}

/**
 * The DCT-II basis is symmetric: cos(πk(2(N−1−n)+1)/2N) = (−1)^k cos(πk(2n+1)/2N). So row k
 * needs only its first ceil(N/2) columns, applied to logMel[n] ± logMel[N−1−n]: half the
 * multiplications of the full matrix.
 */
function buildDct(p: MfccParams): { dct: Float64Array; dctHalf: number } {
  const n = p.nfilt
  const half = Math.ceil(n / 2)
  const dct = new Float64Array(p.numcep * half)
  for (let k = 0; k < p.numcep; k++) {
    const scale = Math.sqrt((k === 0 ? 1 : 2) / n)
    const lift = p.ceplifter > 0 ? 1 + (p.ceplifter / 2) * Math.sin((Math.PI * k) / p.ceplifter) : 1
    for (let i = 0; i < half; i++) dct[k * half + i] = scale * lift * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n))
  }
  return { dct, dctHalf: half }
}

function buildPlan(p: MfccParams): MfccPlan {
  const frameLength = roundHalfUp(p.winlen * p.samplerate)
  const window = new Float64Array(frameLength)
  // numpy.hamming(M): 0.54 − 0.46 cos(2πn / (M − 1)); M = 1 gives [1].
  for (let i = 0; i < frameLength; i++) window[i] = frameLength === 1 ? 1 : 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (frameLength - 1))
  return {
    frameLength,
    frameStep: roundHalfUp(p.winstep * p.samplerate),
    nfft: p.nfft,
    nfilt: p.nfilt,
    numcep: p.numcep,
    window,
    ...buildFilterBank(p),
    ...buildDct(p),
    fft: new FFT(p.nfft),
    frames: new Float64Array(2 * p.nfft),
    spectrum: new Float64Array(2 * p.nfft),
    powerA: new Float64Array(p.nfft / 2 + 1),
    powerB: new Float64Array(p.nfft / 2 + 1),
    energies: new Float64Array(2),
    logMel: new Float64Array(p.nfilt),
    logMelSum: new Float64Array(Math.ceil(p.nfilt / 2)),
    logMelDiff: new Float64Array(Math.ceil(p.nfilt / 2)),
  }
}

const plans = new Map<string, MfccPlan>()
/** Distinct parameter sets kept; a worker sees very few, so a small bound suffices. */
const MAX_PLANS = 16

/** The plan for a parameter set, from the cache when it was built before. */
export function planMfcc(p: MfccParams): MfccPlan {
  const key = [p.samplerate, p.winlen, p.winstep, p.nfft, p.nfilt, p.numcep, p.lowfreq, p.highfreq, p.ceplifter].join(',')
  let plan = plans.get(key)
  if (plan === undefined) {
    if (plans.size >= MAX_PLANS) plans.clear()
    plan = buildPlan(p)
    plans.set(key, plan)
  }
  return plan
}
