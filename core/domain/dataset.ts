import { z } from 'zod'
import { Cid } from './cid.ts'

/** One utterance of a dataset; perItem tasks add fields (`mfcc`, `frames`, …). */
export const DatasetItem = z.looseObject({
  id: z.string(),
  speaker: z.string(),
  utterance: z.string(),
  audio: Cid,
  sampleRate: z.number().positive(),
  channels: z.number().int().positive(),
  samples: z.number().int().min(0),
  seconds: z.number().min(0),
  text: z.string().optional(),
  mfcc: Cid.optional(),
  frames: z.number().int().min(0).optional(),
})
export type DatasetItem = z.infer<typeof DatasetItem>

/** An entry of a source zip that was left out, and why. */
export const SkippedEntry = z.object({ entry: z.string(), reason: z.string() })
export type SkippedEntry = z.infer<typeof SkippedEntry>

/** A zip a dataset came from. */
export const DatasetSource = z.object({ url: z.string(), cid: Cid, skipped: z.array(SkippedEntry) })
export type DatasetSource = z.infer<typeof DatasetSource>

export const DATASET_KIND = 'banzai.dataset/1'

/** The document that flows between audio tasks (SPEC §3). */
export const DatasetManifest = z.object({
  kind: z.literal(DATASET_KIND),
  sources: z.array(DatasetSource),
  items: z.array(DatasetItem),
})
export type DatasetManifest = z.infer<typeof DatasetManifest>
