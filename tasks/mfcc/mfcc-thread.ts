// EXTRACT_MFCC's compute thread (worker_threads): decodes a WAV, resamples it and computes its
// MFCCs here, one request at a time, so that the worker's own event loop (its heartbeat
// timer, its sockets) never waits on a long recording or on loading the WebAssembly engines.
import { parentPort } from 'node:worker_threads'
import { describeThreadError } from '../thread-error.ts'
import { computeWavMfcc } from './mfcc-of-wav.ts'
import type { MfccFromThread, MfccToThread } from './mfcc-thread-messages.ts'

const port = parentPort
if (!port) throw new Error('mfcc-thread.ts runs as a worker thread only')

// Requests are handled in order: the thread computes one recording at a time.
let queue = Promise.resolve()
port.on('message', (request: MfccToThread) => {
  queue = queue.then(async () => {
    let reply: MfccFromThread
    try {
      const mfcc = await computeWavMfcc(request.wav, request.params)
      reply = { id: request.id, mfcc }
      port.postMessage(reply, [mfcc.data.buffer as ArrayBuffer])
    } catch (error) {
      reply = { id: request.id, error: describeThreadError(error) }
      port.postMessage(reply)
    }
  })
})
