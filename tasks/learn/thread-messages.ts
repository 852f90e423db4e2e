import type { ThreadError } from '../thread-error.ts'
import type { ExportedModel } from './model-io.ts'
import type { FrameMatrix } from './features.ts'
import type { LearnOptions } from './options.ts'
import type { TrainOutcome } from './train.ts'
import type { EpochMetrics } from './train-loop.ts'

// LEARN's training thread and the task talk in these messages (structured clone within one
// process, never a wire or a disk: plain types, not zod schemas). Frame matrices and the
// weights move as transferred buffers, never copied.

/** A recording as the thread sees it: in memory, or `frames` rows it asks for when it needs them. */
export type ThreadRecording = { id: string; speaker: string; utterance: string } & (
  { mfcc: FrameMatrix } | { frames: number }
)

/** A trained model as the thread hands it back: the outcome's data and the exported model. */
export type TrainedModel = Omit<TrainOutcome, 'model'> & { exported: ExportedModel }

/** Task → thread. */
export type ToThread =
  | { type: 'start'; options: LearnOptions; recordings: ThreadRecording[] }
  /** The matrix of recording `index`, answering a `load`. */
  | { type: 'matrix'; index: number; matrix: FrameMatrix }
  /** Stop training after the running batch (`model.stopTraining`) and fail with `reason`. */
  | { type: 'abort'; reason: string }

/** Thread → task. */
export type FromThread =
  /** Asks for recording `index`'s matrix (read from the store by the task). */
  | { type: 'load'; index: number }
  | { type: 'epoch'; epoch: number; epochs: number; metrics: EpochMetrics }
  | { type: 'trained'; trained: TrainedModel }
  | { type: 'failed'; error: ThreadError }
