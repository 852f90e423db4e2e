import Meyda from 'meyda'
import { MEYDA_MAX_NUMCEP, ValidationError } from '../../core/domain/index.ts'
import type { MfccMatrix } from './mfcc-banzai.ts'
import { roundHalfUp, type MfccParams } from './mfcc-params.ts'

/** Most coefficients Meyda computes (it clamps numberOfMFCCCoefficients to 40); declared with the catalogue. */
export { MEYDA_MAX_NUMCEP }

/** Meyda's framing: 1 + floor((N − bufferSize) / hop) frames, no padding; none when N < bufferSize. */
export function countMeydaFrames(samples: number, bufferSize: number, hop: number): number {
  return samples < bufferSize ? 0 : 1 + Math.floor((samples - bufferSize) / hop)
}

// Meyda keeps its settings and its cached mel filter bank on one shared object, and recomputes
// the bank only when the band count changes (not the rate or buffer size): we reset it ourselves.
let configured = ''
function configureMeyda(p: MfccParams): void {
  const key = [p.nfft, p.samplerate, p.nfilt, p.numcep].join(',')
  if (key === configured) return
  Meyda.bufferSize = p.nfft
  Meyda.sampleRate = p.samplerate
  Meyda.melBands = p.nfilt
  Meyda.numberOfMFCCCoefficients = p.numcep
  Meyda.windowingFunction = 'hamming'
  ;(Meyda as { melFilterBank?: unknown }).melFilterBank = undefined
  configured = key
}

/**
 * Meyda 5.6.3's own MFCC, frame by frame: `nfft`-sample frames (512), hop winstep × samplerate
 * (160), Meyda's periodic Hamming, `nfilt` mel bands over 0 Hz to Nyquist (lowfreq, highfreq,
 * preemph, ceplifter and appendEnergy do not apply), ln(1 + x), unnormalised DCT-II.
 */
export function computeMeydaMfcc(signal: Float32Array, params: MfccParams): MfccMatrix {
  if (params.numcep > MEYDA_MAX_NUMCEP)
    throw new ValidationError(
      `engine "meyda" computes at most ${MEYDA_MAX_NUMCEP} coefficients, numcep is ${params.numcep}`,
    )
  configureMeyda(params)
  const size = params.nfft
  const hop = roundHalfUp(params.winstep * params.samplerate)
  const frames = countMeydaFrames(signal.length, size, hop)
  const { numcep } = params
  const data = new Float32Array(frames * numcep)
  for (let f = 0; f < frames; f++) {
    const start = f * hop
    // For a single feature name, extract returns that feature's value: here the coefficients.
    const mfcc = Meyda.extract('mfcc', signal.subarray(start, start + size)) as unknown as number[]
    for (let k = 0; k < numcep; k++) data[f * numcep + k] = mfcc[k]!
  }
  return { data, frames, numcep }
}
