import type { Worker } from 'node:worker_threads'
import { rebuildThreadError } from '../thread-error.ts'
import { startThread } from '../thread-start.ts'
import { WavFormatError } from '../wav/index.ts'
import type { MfccMatrix } from './mfcc-banzai.ts'
import type { MfccFromThread, MfccToThread } from './mfcc-thread-messages.ts'
import type { MfccParams } from './mfcc-params.ts'

interface Pending {
  resolve(mfcc: MfccMatrix): void
  reject(error: Error): void
}

let thread: Worker | undefined
let nextId = 1
const pending = new Map<number, Pending>()

/** Ends every request of a thread that failed or exited; the next call starts a new thread. */
function failAll(failed: Worker, error: Error): void {
  if (thread !== failed) return
  thread = undefined
  for (const p of pending.values()) p.reject(error)
  pending.clear()
}

function computeThread(): Worker {
  if (thread) return thread
  const started = startThread(import.meta.url, 'mfcc-thread')
  started.on('message', (reply: MfccFromThread) => {
    const waiting = pending.get(reply.id)
    pending.delete(reply.id)
    if (pending.size === 0) started.unref()
    if (!waiting) return
    if ('mfcc' in reply) waiting.resolve(reply.mfcc)
    else
      waiting.reject(
        rebuildThreadError(reply.error, { WavFormatError: (message) => new WavFormatError(message) }),
      )
  })
  started.on('error', (error) => failAll(started, error))
  started.on('exit', (code) => failAll(started, new Error(`the MFCC thread exited (code ${code})`)))
  thread = started
  return started
}

/**
 * `computeWavMfcc` in this process's MFCC thread (started on first use, shared by every order,
 * one recording at a time): the caller's event loop only sends the WAV and takes the matrix.
 * The WAV is copied, so the caller's bytes (maybe a store's own) stay intact.
 */
export function computeWavMfccInThread(wav: Uint8Array, params: MfccParams): Promise<MfccMatrix> {
  const worker = computeThread()
  const id = nextId++
  const request: MfccToThread = { id, wav: wav.slice(), params }
  return new Promise<MfccMatrix>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    // A thread with requests keeps the process alive; an idle one does not.
    worker.ref()
    worker.postMessage(request, [request.wav.buffer as ArrayBuffer])
  })
}
