import type { ArgsOf } from '../../core/domain/index.ts'

/** Which model LEARN trains; "auto" picks the classifier for two speakers or more. */
export type LearnTaskChoice = 'auto' | 'classifier' | 'autoencoder'

/** LEARN's options with every default filled in (SPEC §3; the defaults are in README.md). */
export interface LearnOptions {
  task: LearnTaskChoice
  /** Passes over the training frames; default 10. */
  epochs: number
  /** Frames per gradient step; default 128. */
  batchSize: number
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
  batchSize: 128,
  hidden: 64,
  seed: 1,
  validationSplit: 0.15,
  testSplit: 0.2,
}

/** Neighbouring frames stacked on each side of a frame for the classifier (±3: 70 ms of context). */
export const CONTEXT_FRAMES = 3

/** Most training frames used; a larger training part is subsampled evenly (memory: 168 floats a frame). */
export const MAX_TRAIN_FRAMES = 100_000

/** Adam's learning rate for both models. */
export const LEARNING_RATE = 0.002

/** LEARN's parsed arguments with the defaults filled in. */
export function resolveLearnOptions(args: ArgsOf<'LEARN'>): LearnOptions {
  const [given = {}] = args
  return { ...DEFAULT_LEARN_OPTIONS, ...given }
}
