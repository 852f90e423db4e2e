import { z } from 'zod'
import { Cid } from './cid.ts'

/** The kind tag of LEARN's output document. */
export const MODEL_KIND = 'banzai.model/1'

/** One epoch's metrics; `acc` and `valAcc` (frame accuracy) for the classifier only; null without a validation part. */
export const EpochMetricsRecord = z.object({
  loss: z.number(),
  valLoss: z.number().nullable(),
  acc: z.number().optional(),
  valAcc: z.number().nullable().optional(),
})

/** The classifier's test metrics: per-recording accuracy and `confusion[true][predicted]` in label order. */
export const ClassifierTestRecord = z.object({
  accuracy: z.number(),
  confusion: z.array(z.array(z.number().int().min(0))),
  frameAccuracy: z.number(),
  recordings: z.number().int().min(0),
})

/** The autoencoder's test metrics, in normalised units. */
export const AutoencoderTestRecord = z.object({ mse: z.number(), baselineMse: z.number() })

const UtteranceIds = z.array(z.string())

/**
 * How LEARN bounded its memory (LEARN v2): recordings are read one at a time and every k-th frame
 * kept (`trainStride` for training and validation, `testStride` for the test), so that at most
 * `maxTrainFrames` / `maxTestFrames` are used; the frames kept per part.
 */
export const FrameSamplingRecord = z.object({
  method: z.literal('subsample'),
  maxTrainFrames: z.number().int(),
  maxTestFrames: z.number().int(),
  trainStride: z.number().int().min(1),
  testStride: z.number().int().min(1),
  frames: z.object({
    train: z.number().int().min(0),
    validation: z.number().int().min(0),
    test: z.number().int().min(0),
  }),
})

/**
 * LEARN's output (SPEC §3): the model (`model.json`, whose weights manifest names the weights'
 * CID), its metrics, and how the data was split and normalised.
 */
export const LearnModelDocument = z.object({
  kind: z.literal(MODEL_KIND),
  task: z.enum(['classifier', 'autoencoder']),
  backend: z.enum(['tensorflow', 'wasm']),
  model: Cid,
  weights: Cid,
  labels: z.array(z.string()),
  metrics: z.object({
    epochs: z.array(EpochMetricsRecord),
    test: z.union([ClassifierTestRecord, AutoencoderTestRecord]).nullable(),
    /** Absent in LEARN v1 documents, which used every test frame. */
    sampling: FrameSamplingRecord.optional(),
  }),
  reason: z.string().optional(),
  /** Utterance ids per part. */
  split: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
  utterances: z.object({ train: UtteranceIds, validation: UtteranceIds, test: UtteranceIds }),
  /** Per-coefficient mean and std of the training frames, and the ±context frames stacked as input. */
  normalization: z.object({
    mean: z.array(z.number()),
    std: z.array(z.number()),
    context: z.number().int().min(0),
  }),
  /** The options as run, defaults filled in. */
  options: z.object({
    task: z.enum(['auto', 'classifier', 'autoencoder']),
    epochs: z.number().int(),
    batchSize: z.number().int(),
    hidden: z.number().int(),
    seed: z.number().int(),
    validationSplit: z.number(),
    testSplit: z.number(),
  }),
})
export type LearnModelDocument = z.infer<typeof LearnModelDocument>
