import { assertNever } from '../../core/domain/index.ts'
import { rebuildThreadError } from '../thread-error.ts'
import { startThread } from '../thread-start.ts'
import type { FrameMatrix } from './features.ts'
import type { LearnOptions } from './options.ts'
import type { FromThread, ThreadRecording, ToThread, TrainedModel } from './thread-messages.ts'
import type { LearnRecording } from './train.ts'
import type { TrainHooks } from './train-loop.ts'

/** How long an aborted training thread may take to stop by itself before it is terminated, ms. */
export const THREAD_STOP_GRACE_MS = 1_000

/** A fresh copy of a matrix in its own buffer, so that it can be transferred. */
function ownCopy(m: FrameMatrix): FrameMatrix {
  return { data: m.data.slice(), rows: m.rows, cols: m.cols }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

/**
 * `trainOnFeatures` and `exportModel` in a worker thread, one per call: the caller's event loop
 * only answers the thread's requests for recordings (`load()` runs here, in the caller) and
 * relays epochs. An abort stops training after the running batch; a thread that has not
 * ended `THREAD_STOP_GRACE_MS` later is terminated. Rejects with the signal's reason then.
 */
export function trainInThread(
  recordings: readonly LearnRecording[],
  options: LearnOptions,
  hooks: TrainHooks = {},
): Promise<TrainedModel> {
  const { signal } = hooks
  signal?.throwIfAborted()
  const thread = startThread(import.meta.url, 'learn-thread')
  const post = (message: ToThread, transfer: ArrayBuffer[] = []): void =>
    thread.postMessage(message, transfer)
  return new Promise<TrainedModel>((resolve, reject) => {
    let isSettled = false
    let graceTimer: NodeJS.Timeout | undefined
    const settle = (outcome: { ok: true; trained: TrainedModel } | { ok: false; error: unknown }): void => {
      if (isSettled) return
      isSettled = true
      clearTimeout(graceTimer)
      signal?.removeEventListener('abort', onAbort)
      void thread.terminate()
      // A cancel that lands while the thread sends its result still cancels: the order is gone.
      if (outcome.ok && signal?.aborted !== true) resolve(outcome.trained)
      else if (outcome.ok) reject(asError(signal?.reason as unknown))
      else reject(asError(signal?.aborted === true ? (signal.reason as unknown) : outcome.error))
    }
    const onAbort = (): void => {
      const reason: unknown = signal?.reason
      post({ type: 'abort', reason: reason instanceof Error ? reason.message : String(reason) })
      graceTimer = setTimeout(() => settle({ ok: false, error: reason }), THREAD_STOP_GRACE_MS)
    }
    signal?.addEventListener('abort', onAbort, { once: true })

    const load = async (index: number): Promise<void> => {
      const recording = recordings[index]
      if (!recording || 'mfcc' in recording) throw new Error(`the LEARN thread asked for recording ${index}`)
      const matrix = ownCopy(await recording.load())
      if (!isSettled) post({ type: 'matrix', index, matrix }, [matrix.data.buffer as ArrayBuffer])
    }
    thread.on('message', (message: FromThread) => {
      switch (message.type) {
        case 'load':
          load(message.index).catch((error: unknown) => settle({ ok: false, error }))
          return
        case 'epoch':
          hooks.onEpoch?.(message.epoch, message.epochs, message.metrics)
          return
        case 'trained':
          return settle({ ok: true, trained: message.trained })
        case 'failed':
          return settle({ ok: false, error: rebuildThreadError(message.error) })
        default:
          assertNever(message, 'message from the LEARN thread')
      }
    })
    thread.on('error', (error) => settle({ ok: false, error }))
    thread.on('exit', (code) =>
      settle({
        ok: false,
        error: new Error(`LEARN's training thread exited (code ${code}) before it finished`),
      }),
    )

    const sent: ThreadRecording[] = []
    const transfer: ArrayBuffer[] = []
    for (const r of recordings) {
      const meta = { id: r.id, speaker: r.speaker, utterance: r.utterance }
      if ('mfcc' in r) {
        const mfcc = ownCopy(r.mfcc)
        transfer.push(mfcc.data.buffer as ArrayBuffer)
        sent.push({ ...meta, mfcc })
      } else sent.push({ ...meta, frames: r.frames })
    }
    post({ type: 'start', options, recordings: sent }, transfer)
  })
}
