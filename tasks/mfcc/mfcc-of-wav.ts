import { decodeWav, mixToMono } from '../wav/index.ts'
import { computeMfcc, type MfccMatrix } from './mfcc-banzai.ts'
import { computeMeydaMfcc } from './mfcc-meyda.ts'
import type { MfccParams } from './mfcc-params.ts'
import { resampleMono } from './resample.ts'

/** Mono samples at `params.samplerate`: channels averaged, then resampled if the rate differs. */
export async function prepareSignal(
  signal: { sampleRate: number; channelData: Float32Array[] },
  params: MfccParams,
): Promise<Float32Array> {
  return resampleMono(mixToMono(signal.channelData), signal.sampleRate, params.samplerate)
}

/** Computes the MFCCs of a mono signal already at `params.samplerate` with the engine `params.engine`. */
export function computeFeatures(signal: Float32Array, params: MfccParams): MfccMatrix {
  return params.engine === 'meyda' ? computeMeydaMfcc(signal, params) : computeMfcc(signal, params)
}

/** Decodes a WAV file and computes its MFCCs (EXTRACT_MFCC for one item). Throws WavFormatError for a broken file. */
export async function computeWavMfcc(wav: Uint8Array, params: MfccParams): Promise<MfccMatrix> {
  return computeFeatures(await prepareSignal(decodeWav(wav), params), params)
}
