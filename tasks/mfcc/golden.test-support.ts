import { readFile } from 'node:fs/promises'
import { decodeWav, mixToMono } from '../wav/index.ts'
import type { MfccMatrix } from './mfcc-banzai.ts'

/** A reference MFCC file of fixtures/golden/. */
export interface GoldenMfcc {
  utterance: string
  params: Record<string, unknown>
  shape: [number, number]
  mfcc: number[][]
}

/** The committed golden fixtures folder. */
export const GOLDEN_DIR = new URL('../../fixtures/golden/', import.meta.url)
/** The utterances with reference values. */
export const GOLDEN_UTTERANCES = ['arctic_a0001', 'arctic_a0002', 'arctic_a0003'] as const

/** Reads a golden JSON file by name. */
export async function readGolden(name: string): Promise<GoldenMfcc> {
  return JSON.parse(await readFile(new URL(name, GOLDEN_DIR), 'utf8')) as GoldenMfcc
}

/** Decodes a WAV of fixtures/ (path relative to fixtures/) into mono samples. */
export async function readFixtureWav(path: string): Promise<{ sampleRate: number; signal: Float32Array }> {
  const { sampleRate, channelData } = decodeWav(
    await readFile(new URL(`../../fixtures/${path}`, import.meta.url)),
  )
  return { sampleRate, signal: mixToMono(channelData) }
}

/** Largest |ours − reference| over the whole matrix; shapes must agree. */
export function maxAbsError(ours: MfccMatrix, golden: GoldenMfcc): number {
  if (ours.frames !== golden.shape[0] || ours.numcep !== golden.shape[1]) {
    throw new Error(
      `shape [${ours.frames}, ${ours.numcep}] differs from the reference [${golden.shape.join(', ')}]`,
    )
  }
  let worst = 0
  golden.mfcc.forEach((row, f) =>
    row.forEach((v, k) => (worst = Math.max(worst, Math.abs(ours.data[f * ours.numcep + k]! - v)))),
  )
  return worst
}
