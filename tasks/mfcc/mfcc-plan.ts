import type { MfccParams } from './mfcc-params.ts'
import FFT from 'fft.js'
import { roundHalfUp } from './mfcc-params.ts'
import { createRealFft, PFFFT_MIN_SIZE, type RealFft } from './pffft.ts'

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
  /**
   * PFFFT real transform of max(nfft, 32) points: bin k of the nfft-point DFT is its bin
   * k · binStride, since the frame (≤ nfft samples) is zero beyond nfft either way.
   */
  fft: RealFft
  binStride: number
  /**
   * filterFloor[j] · frame energy: the least energy filter j may hold for the float32 transform
   * to be trusted (see buildFilterFloor); a frame with any filter below is redone in float64.
   */
  filterFloor: Float64Array
  /** The float64 transform (fft.js) for those frames. */
  fft64: FFT
  /** Scratch buffers, reused by every frame (single-threaded: computeMfcc is synchronous). */
  /** The float64 frame and its spectrum (interleaved complex) for fft64. */
  frame64: Float64Array
  spectrum64: Float64Array
  /** |X[k]|² / nfft, bins 0 … nfft/2. */
  power: Float64Array
  /** ln of the filter bank energies of the current frame. */
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
    for (let i = 0; i < half; i++)
      dct[k * half + i] = scale * lift * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n))
  }
  return { dct, dctHalf: half }
}

/** Largest coefficient error we let float32 rounding cause (the golden tolerance is 1e-3). */
const FLOAT32_ERROR_BUDGET = 1e-4
/** 2^-23, float32's machine epsilon. */
const FLOAT32_EPS = 2 ** -23

/**
 * PFFFT computes in float32: every bin carries an error of about eps32 · ‖frame‖, so a filter
 * holding a small share of the frame energy E gets a large relative error in its log. On 10
 * minutes of speech (690,000 frames, nfft 16 to 1024) the worst coefficient error was
 * 1.3 · eps32 · maxDct / √(nfft · ρ), ρ = min over filters of S_j / (E · W_j) (S_j the filter's
 * energy, W_j the sum of its weights, maxDct the largest liftered DCT weight). We trust float32
 * where that estimate, taken 3× (4 · eps32), stays within FLOAT32_ERROR_BUDGET: filter j must hold
 * at least E · W_j · (4 · eps32 · maxDct / budget)² / nfft. On that speech the defaults redo 0.1 %
 * of the frames in float64, lifter 22 (DCT weights up to 12×) 45 %.
 */
function buildFilterFloor(
  p: MfccParams,
  filterOffset: Int32Array,
  filterWeights: Float64Array,
  dct: Float64Array,
): Float64Array {
  const maxDct = dct.reduce((m, d) => Math.max(m, Math.abs(d)), 0)
  const share = (4 * FLOAT32_EPS * maxDct) ** 2 / FLOAT32_ERROR_BUDGET ** 2 / p.nfft
  const floor = new Float64Array(p.nfilt)
  for (let j = 0; j < p.nfilt; j++) {
    let weights = 0
    for (let w = filterOffset[j]!; w < filterOffset[j + 1]!; w++) weights += filterWeights[w]!
    floor[j] = share * weights
  }
  return floor
}

function buildPlan(p: MfccParams): MfccPlan {
  const frameLength = roundHalfUp(p.winlen * p.samplerate)
  const window = new Float64Array(frameLength)
  // numpy.hamming(M): 0.54 − 0.46 cos(2πn / (M − 1)); M = 1 gives [1].
  for (let i = 0; i < frameLength; i++)
    window[i] = frameLength === 1 ? 1 : 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (frameLength - 1))
  const filters = buildFilterBank(p)
  const dct = buildDct(p)
  return {
    frameLength,
    frameStep: roundHalfUp(p.winstep * p.samplerate),
    nfft: p.nfft,
    nfilt: p.nfilt,
    numcep: p.numcep,
    window,
    ...filters,
    ...dct,
    fft: createRealFft(Math.max(p.nfft, PFFFT_MIN_SIZE)),
    binStride: Math.max(p.nfft, PFFFT_MIN_SIZE) / p.nfft,
    filterFloor: buildFilterFloor(p, filters.filterOffset, filters.filterWeights, dct.dct),
    fft64: new FFT(p.nfft),
    frame64: new Float64Array(p.nfft),
    spectrum64: new Float64Array(2 * p.nfft),
    power: new Float64Array(p.nfft / 2 + 1),
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
  const key = [
    p.samplerate,
    p.winlen,
    p.winstep,
    p.nfft,
    p.nfilt,
    p.numcep,
    p.lowfreq,
    p.highfreq,
    p.ceplifter,
  ].join(',')
  let plan = plans.get(key)
  if (plan === undefined) {
    if (plans.size >= MAX_PLANS) {
      // The transforms live in the wasm heap, outside the garbage collector.
      for (const old of plans.values()) old.fft.destroy()
      plans.clear()
    }
    plan = buildPlan(p)
    plans.set(key, plan)
  }
  return plan
}
