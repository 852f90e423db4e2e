import type { ArgsOf } from '../../core/domain/index.ts'

/** Which model LEARN trains; "auto" picks the classifier for two speakers or more. */
export type LearnTaskChoice = 'auto' | 'classifier' | 'autoencoder'

/** LEARN's options with every default filled in (SPEC §3; the defaults are in README.md). */
export interface LearnOptions {
  task: LearnTaskChoice
  /** Passes over the training frames; default 10. */
  epochs: number
  /** Frames per gradient step; default "auto": 1024, fewer for a training part under 32k frames (see batchSizeFor). */
  batchSize: number | 'auto'
  /** Units of each hidden layer; default 64. */
  hidden: number
  /** Seeds the split, the shuffling and every initializer; default 1. */
  seed: number
  /** Share of utterance ids held out for validation, 0 to 0.5; default 0.15. */
  validationSplit: number
  /** Share of utterance ids held out for the test, 0 to 0.5; default 0.2. */
  testSplit: number
}

/** The defaults: small enough to train the fixture datasets (60 utterances) in seconds. */
export const DEFAULT_LEARN_OPTIONS: LearnOptions = {
  task: 'auto',
  epochs: 10,
  batchSize: 'auto',
  hidden: 64,
  seed: 1,
  validationSplit: 0.15,
  testSplit: 0.2,
}

/** The batch size "auto" uses from 32,768 training frames up. */
export const AUTO_BATCH_SIZE = 1_024

/**
 * The batch size to train with: the one asked, or for "auto" 1024, halved for small training
 * parts until an epoch has at least 32 batches (down to 32 frames a batch).
 */
export function batchSizeFor(asked: number | 'auto', trainFrames: number): number {
  if (asked !== 'auto') return asked
  let size = AUTO_BATCH_SIZE
  while (size > 32 && trainFrames / size < 32) size /= 2
  return size
}

/** Neighbouring frames stacked on each side of a frame for the classifier (±3: 70 ms of context). */
export const CONTEXT_FRAMES = 3

/** Most training frames used; a larger training part is subsampled evenly (memory: 168 floats a frame). */
export const MAX_TRAIN_FRAMES = 100_000

/** Most test frames used; a larger test part keeps every k-th frame of each recording (each still votes). */
export const MAX_TEST_FRAMES = 100_000

/** Adam's learning rate for both models. */
export const LEARNING_RATE = 0.002

/** LEARN's parsed arguments with the defaults filled in. */
export function resolveLearnOptions(args: ArgsOf<'LEARN'>): LearnOptions {
  const [given = {}] = args
  return { ...DEFAULT_LEARN_OPTIONS, ...given }
}
