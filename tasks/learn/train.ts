import * as tf from '@tensorflow/tfjs'
// errors.ts, not the domain's index: this file loads in LEARN's thread, which starts per order
// and should not spend ~100 ms compiling every schema of the domain.
import { ValidationError } from '../../core/domain/errors.ts'
import { buildAutoencoder, testAutoencoder, type AutoencoderTest } from './autoencoder.ts'
import { type LearnBackend, ensureBackend } from './backend.ts'
import {
  buildClassifier,
  oneHotFrames,
  testClassifier,
  type ClassifierTest,
  type LabelledMatrix,
} from './classifier.ts'
import { type Normalization, computeNormalization, concatFrames } from './features.ts'
import {
  type LearnRecording,
  centreNormalization,
  normalizeStacked,
  preparePart,
  rowsOf,
  strideFor,
} from './frame-parts.ts'
import {
  CONTEXT_FRAMES,
  batchSizeFor,
  type LearnOptions,
  MAX_TEST_FRAMES,
  MAX_TRAIN_FRAMES,
} from './options.ts'
import { createRandom } from './rng.ts'
import { type UtteranceSplit, splitByUtterance } from './split.ts'
import { type EpochMetrics, type TensorPair, type TrainHooks, fitSeeded } from './train-loop.ts'

export type { FeatureRecording, LearnRecording, StoredRecording } from './frame-parts.ts'

/** A trained model and what was measured; the caller saves the model and disposes of it. */
export interface TrainOutcome {
  task: 'classifier' | 'autoencoder'
  backend: LearnBackend
  model: tf.LayersModel
  /** Speakers, sorted: the classifier's output order (the autoencoder's training speakers). */
  labels: string[]
  metrics: { epochs: EpochMetrics[]; test: ClassifierTest | AutoencoderTest | null }
  split: UtteranceSplit
  normalization: Normalization
  /** Neighbouring frames stacked on each side of the input frame (0 for the autoencoder). */
  context: number
  /** Frames (rows) per part, as used. */
  frames: { train: number; validation: number; test: number }
  /** 1, or k when only every k-th training and validation frame was used (more than MAX_TRAIN_FRAMES). */
  stride: number
  /** Frames per gradient step, as trained (options.batchSize, or what "auto" chose). */
  batchSize: number
  /** 1, or k when only every k-th test frame was used (more than MAX_TEST_FRAMES). */
  testStride: number
}

/**
 * Trains LEARN's model on MFCC recordings, seeded and deterministic: splits by utterance id,
 * normalises with training statistics, trains the classifier (two speakers or more, or when
 * asked) or the frame autoencoder, and tests it on the held-out utterances.
 */
export async function trainOnFeatures(
  recordings: readonly LearnRecording[],
  options: LearnOptions,
  hooks: TrainHooks = {},
): Promise<TrainOutcome> {
  if (recordings.length === 0 || !recordings.some((r) => rowsOf(r) > 0))
    throw new ValidationError('LEARN needs at least one item with MFCC frames')
  const labels = [...new Set(recordings.map((r) => r.speaker))].sort()
  const task = options.task === 'auto' ? (labels.length >= 2 ? 'classifier' : 'autoencoder') : options.task
  if (task === 'classifier' && labels.length < 2) {
    throw new ValidationError(
      `args[0].task is "classifier", which needs two speakers or more; the dataset has ${labels.length} (${labels.join(', ')})`,
    )
  }
  const { backend } = await ensureBackend()
  const split = splitByUtterance(recordings, options)
  const partOf = new Map<string, 'train' | 'validation' | 'test'>()
  for (const part of ['train', 'validation', 'test'] as const)
    for (const id of split[part]) partOf.set(id, part)
  const inPart = (part: string) => recordings.filter((r) => partOf.get(r.utterance) === part)
  const [train, validation, test] = [inPart('train'), inPart('validation'), inPart('test')]

  const context = task === 'classifier' ? CONTEXT_FRAMES : 0
  // Large datasets: every stride-th frame of each recording is kept, read one recording at a time.
  const frameCount = (part: readonly LearnRecording[]) => part.reduce((n, r) => n + rowsOf(r), 0)
  const stride = strideFor(frameCount(train), MAX_TRAIN_FRAMES)
  const testStride = strideFor(frameCount(test), MAX_TEST_FRAMES)
  const [trainX, validationX, testX] = [
    (await preparePart(train, labels, context, stride, hooks.signal)).parts,
    (await preparePart(validation, labels, context, stride, hooks.signal)).parts,
    (await preparePart(test, labels, context, testStride, hooks.signal)).parts,
  ]
  const inputs = trainX[0]?.x.cols ?? 0
  const numcep = inputs / (2 * context + 1)
  if (inputs === 0) throw new ValidationError('LEARN needs MFCC frames in its training part')
  const normalization = centreNormalization(trainX, numcep, context)
  for (const part of [trainX, validationX, testX]) normalizeStacked(part, normalization)
  const frames = { train: countRows(trainX), validation: countRows(validationX), test: countRows(testX) }
  const batchSize = batchSizeFor(options.batchSize, frames.train)

  const model =
    task === 'classifier'
      ? buildClassifier(inputs, options.hidden, labels.length, options.seed)
      : buildAutoencoder(numcep, options.hidden, options.seed)
  const toTensors = (parts: LabelledMatrix[]): TensorPair => {
    const x = concatFrames(
      parts.map((p) => p.x),
      inputs,
    )
    const y = task === 'classifier' ? oneHotFrames(parts, labels.length) : x
    return { x: tf.tensor2d(x.data, [x.rows, x.cols]), y: tf.tensor2d(y.data, [y.rows, y.cols]) }
  }
  const trainT = toTensors(trainX)
  const validationT = validationX.length > 0 ? toTensors(validationX) : null
  try {
    const epochs = await fitSeeded(
      model,
      trainT,
      validationT,
      {
        epochs: options.epochs,
        batchSize,
        random: createRandom(options.seed),
        withAccuracy: task === 'classifier',
      },
      hooks,
    )
    let testMetrics: ClassifierTest | AutoencoderTest | null = null
    if (testX.length > 0) {
      testMetrics =
        task === 'classifier'
          ? testClassifier(model, testX, labels.length)
          : testAutoencoder(
              model,
              concatFrames(
                testX.map((p) => p.x),
                inputs,
              ),
              columnMeans(trainX, inputs),
            )
    }
    return {
      task,
      backend,
      model,
      labels,
      metrics: { epochs, test: testMetrics },
      split,
      normalization,
      context,
      frames,
      stride,
      testStride,
      batchSize,
    }
  } catch (error) {
    model.dispose()
    throw error
  } finally {
    // An optimizer passed to compile() as an object is not the model's to dispose: its Adam
    // moments would leak. It is not saved with the model, so it goes now.
    model.optimizer.dispose()
    for (const t of [trainT, validationT]) {
      t?.x.dispose()
      t?.y.dispose()
    }
  }
}

function countRows(parts: readonly LabelledMatrix[]): number {
  return parts.reduce((n, p) => n + p.x.rows, 0)
}

/** Mean of each column over the (normalised) training frames: the autoencoder's baseline prediction. */
function columnMeans(parts: readonly LabelledMatrix[], cols: number): number[] {
  return computeNormalization(parts.map((p) => p.x)).mean.slice(0, cols)
}
