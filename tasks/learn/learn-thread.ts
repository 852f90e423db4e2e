// LEARN's training thread (worker_threads): loads TensorFlow.js, prepares the frames, trains,
// tests and exports the model here, so the worker's own event loop (its heartbeat timer,
// its sockets) never waits on them. It reads nothing itself: the task sends the recordings
// and answers `load` requests from the store.
import { parentPort } from 'node:worker_threads'
// errors.ts, not the domain's index: the thread starts per order (see train.ts).
import { assertNever } from '../../core/domain/errors.ts'
import { describeThreadError } from '../thread-error.ts'
import type { FrameMatrix } from './features.ts'
import { exportModel } from './model-io.ts'
import type { FromThread, ThreadRecording, ToThread } from './thread-messages.ts'
import { type LearnRecording, trainOnFeatures } from './train.ts'

const port = parentPort
if (!port) throw new Error('learn-thread.ts runs as a worker thread only')

const controller = new AbortController()
const waiting = new Map<number, (matrix: FrameMatrix) => void>()

function post(message: FromThread, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer)
}

function asRecording(r: ThreadRecording, index: number): LearnRecording {
  const meta = { id: r.id, speaker: r.speaker, utterance: r.utterance }
  if ('mfcc' in r) return { ...meta, mfcc: r.mfcc }
  return {
    ...meta,
    frames: r.frames,
    load: () =>
      new Promise<FrameMatrix>((resolve) => {
        waiting.set(index, resolve)
        post({ type: 'load', index })
      }),
  }
}

async function train(start: Extract<ToThread, { type: 'start' }>): Promise<void> {
  const outcome = await trainOnFeatures(start.recordings.map(asRecording), start.options, {
    signal: controller.signal,
    onEpoch: (epoch, epochs, metrics) => post({ type: 'epoch', epoch, epochs, metrics }),
  })
  try {
    const exported = await exportModel(outcome.model)
    const { model: _model, ...rest } = outcome
    // The weights travel once, as the transferred `weights` buffer.
    const { weightData: _weightData, ...artifacts } = exported.artifacts
    const trained = { ...rest, exported: { artifacts, weights: exported.weights } }
    post({ type: 'trained', trained }, [exported.weights.buffer as ArrayBuffer])
  } finally {
    outcome.model.dispose()
  }
}

port.on('message', (message: ToThread) => {
  switch (message.type) {
    case 'start':
      train(message).catch((error: unknown) => post({ type: 'failed', error: describeThreadError(error) }))
      return
    case 'matrix':
      waiting.get(message.index)?.(message.matrix)
      waiting.delete(message.index)
      return
    case 'abort':
      controller.abort(new Error(message.reason))
      return
    default:
      assertNever(message, 'message to the LEARN thread')
  }
})
