import type { LabelledMatrix } from './classifier.ts'
import {
  type FrameMatrix,
  type Normalization,
  computeNormalization,
  stackContext,
  subsampleRows,
} from './features.ts'

/** One recording's MFCCs ([frames, numcep]) in memory, with its speaker and utterance id. */
export interface FeatureRecording {
  id: string
  speaker: string
  utterance: string
  mfcc: FrameMatrix
}

/** A recording whose MFCCs are read only when needed (from the store): `frames` is its row count. */
export interface StoredRecording {
  id: string
  speaker: string
  utterance: string
  frames: number
  load: () => Promise<FrameMatrix>
}

/** What LEARN trains on: recordings in memory, or read one at a time (memory bounded by the frame caps). */
export type LearnRecording = FeatureRecording | StoredRecording

/** Frames (rows) of a recording, without reading it. */
export function rowsOf(r: LearnRecording): number {
  return 'mfcc' in r ? r.mfcc.rows : r.frames
}

/** Every `stride`-th frame of a part's recordings, stacked with ±`context` neighbours (not normalised yet). */
export interface PreparedPart {
  parts: LabelledMatrix[]
  stride: number
}

/** Smallest stride that keeps at most `cap` of `frames` frames (every stride-th frame of each recording). */
export function strideFor(frames: number, cap: number): number {
  return Math.max(1, Math.ceil(frames / cap))
}

/**
 * Reads a part's recordings one at a time, stacks each frame with its ±`context` neighbours (from
 * the whole recording) and keeps every `stride`-th stacked frame: memory holds only kept frames.
 */
export async function preparePart(
  recordings: readonly LearnRecording[],
  labels: readonly string[],
  context: number,
  stride: number,
  signal?: AbortSignal,
): Promise<PreparedPart> {
  const parts: LabelledMatrix[] = []
  for (const r of recordings) {
    signal?.throwIfAborted()
    const m = 'mfcc' in r ? r.mfcc : await r.load()
    if (m.rows === 0) continue
    parts.push({ x: subsampleRows(stackContext(m, context), stride), label: labels.indexOf(r.speaker) })
  }
  return { parts, stride }
}

/**
 * Per-coefficient statistics of the kept training frames: the centre block (the frame itself) of
 * each stacked row; normalising a stacked row with them tiled equals stacking normalised frames.
 */
export function centreNormalization(
  parts: readonly LabelledMatrix[],
  numcep: number,
  context: number,
): Normalization {
  const centres = parts.map((p) => centreColumns(p.x, numcep, context))
  return computeNormalization(centres)
}

/** Normalises stacked rows in place with per-coefficient statistics repeated over the 2·context + 1 blocks. */
export function normalizeStacked(parts: readonly LabelledMatrix[], norm: Normalization): void {
  const numcep = norm.mean.length
  for (const p of parts) {
    const { data } = p.x
    for (let i = 0; i < data.length; i++) {
      const c = i % numcep
      data[i] = ((data[i] ?? 0) - (norm.mean[c] ?? 0)) / (norm.std[c] ?? 1)
    }
  }
}

function centreColumns(m: FrameMatrix, numcep: number, context: number): FrameMatrix {
  if (m.cols === numcep) return m
  const data = new Float32Array(m.rows * numcep)
  for (let r = 0; r < m.rows; r++) {
    const start = r * m.cols + context * numcep
    data.set(m.data.subarray(start, start + numcep), r * numcep)
  }
  return { data, rows: m.rows, cols: numcep }
}
