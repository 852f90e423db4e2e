import FFT from 'fft.js'
import { countFrames, FLOAT64_EPS, type MfccMatrix } from './mfcc-banzai.ts'
import type { MfccParams } from './mfcc-params.ts'
import { planMfcc } from './mfcc-plan.ts'

/**
 * python_speech_features' pipeline written plainly in float64 (fft.js, full DCT): the reference
 * for the float32 transform's error. Shares only the plan's window and filter bank, which the
 * golden files check.
 */
export function computeMfccFloat64(signal: Float32Array, params: MfccParams): MfccMatrix {
  const { frameLength, frameStep, window, filterStart, filterOffset, filterWeights } = planMfcc(params)
  const { nfft, nfilt, numcep, preemph, ceplifter } = params
  const x = Float64Array.from(signal, (v, i) => (i > 0 && preemph > 0 ? v - preemph * signal[i - 1]! : v))
  const frames = countFrames(x.length, frameLength, frameStep)
  const fft = new FFT(nfft)
  const frame = new Float64Array(nfft)
  const spectrum = new Float64Array(2 * nfft)
  const data = new Float32Array(frames * numcep)
  for (let f = 0; f < frames; f++) {
    frame.fill(0)
    for (let i = 0; i < frameLength && f * frameStep + i < x.length; i++)
      frame[i] = x[f * frameStep + i]! * window[i]!
    fft.realTransform(spectrum, frame)
    const power = (k: number): number => (spectrum[2 * k]! ** 2 + spectrum[2 * k + 1]! ** 2) / nfft
    const logMel = Array.from({ length: nfilt }, (_, j) => {
      let sum = 0
      for (let w = filterOffset[j]!, bin = filterStart[j]!; w < filterOffset[j + 1]!; w++, bin++)
        sum += filterWeights[w]! * power(bin)
      return Math.log(sum === 0 ? FLOAT64_EPS : sum)
    })
    for (let k = 0; k < numcep; k++) {
      const lift = ceplifter > 0 ? 1 + (ceplifter / 2) * Math.sin((Math.PI * k) / ceplifter) : 1
      const scale = Math.sqrt((k === 0 ? 1 : 2) / nfilt) * lift
      data[f * numcep + k] = logMel.reduce(
        (c, v, n) => c + scale * v * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * nfilt)),
        0,
      )
    }
    if (params.appendEnergy) {
      let energy = 0
      for (let k = 0; k <= nfft / 2; k++) energy += power(k)
      data[f * numcep] = Math.log(energy === 0 ? FLOAT64_EPS : energy)
    }
  }
  return { data, frames, numcep }
}
