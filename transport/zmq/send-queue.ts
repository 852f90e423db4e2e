import { waitOrTimeOut } from '../timing/index.ts'

/** What one send hands a socket: one frame (JSON text or bytes), or the frames of a multipart message. */
export type Frames = string | Buffer | (string | Buffer)[]

/** Most frames one batch carries (a receive loop drops a longer message whole). */
export const MAX_BATCH_FRAMES = 256
/** A batch takes no more frames once it holds this many bytes (a single larger frame goes alone). */
const MAX_BATCH_BYTES = 1024 * 1024

/** A socket's sending side as the queue needs it. */
export interface Sendable {
  send(frames: Frames): Promise<void>
}

/** Queues frames for a socket so that at most one send is in flight (zeromq throws EBUSY otherwise). */
export interface SendQueue {
  push(frames: Frames): void
  /** Frames waiting, not counting the one in flight. */
  size(): number
  /** Resolves once the queue is empty (or after `timeoutMs`). */
  drained(timeoutMs: number): Promise<void>
  /** Drops what is queued; later pushes are ignored. */
  close(): void
}

/** Whether queued frames are one frame (joinable into a batch), not a multipart message of their own. */
function isSingleFrame(frames: Frames): frames is string | Buffer {
  return !Array.isArray(frames)
}

/**
 * With `batch`, the single frames that queued behind a send in flight leave together, as one
 * multipart message of up to MAX_BATCH_FRAMES frames, each frame one whole message (the receive
 * loop hands them on in order). A burst of reports or orders then costs one send and one receive
 * instead of one per message. Only for PUSH/PULL: a SUB would filter a batch by its first frame.
 */
function takeBatch(queue: Frames[]): Frames {
  const first = queue.shift()!
  if (!isSingleFrame(first)) return first
  const batch: (string | Buffer)[] = [first]
  let bytes = first.length
  while (batch.length < MAX_BATCH_FRAMES && bytes < MAX_BATCH_BYTES) {
    const next = queue[0]
    if (next === undefined || !isSingleFrame(next)) break
    if (bytes + next.length > MAX_BATCH_BYTES) break
    batch.push(next)
    bytes += next.length
    queue.shift()
  }
  return batch.length === 1 ? first : batch
}

/**
 * Creates a send queue over `socket`; a failed send is reported through `onError` and the queue
 * moves on. `batch` joins queued single frames into one multipart message (see takeBatch).
 */
export function createSendQueue(
  socket: Sendable,
  onError: (error: unknown) => void,
  options: { batch?: boolean } = {},
): SendQueue {
  const queue: Frames[] = []
  let isSending = false
  let isClosed = false
  let drainWaiters: (() => void)[] = []

  const pump = async (): Promise<void> => {
    if (isSending) return
    isSending = true
    try {
      while (queue.length > 0 && !isClosed) {
        const frames = options.batch ? takeBatch(queue) : queue.shift()!
        try {
          await socket.send(frames)
        } catch (error) {
          if (!isClosed) onError(error)
        }
      }
    } finally {
      isSending = false
      for (const waiter of drainWaiters.splice(0)) waiter()
    }
  }

  return {
    push(frames) {
      if (isClosed) return
      queue.push(frames)
      void pump()
    },
    size: () => queue.length,
    drained(timeoutMs) {
      if (!isSending && queue.length === 0) return Promise.resolve()
      let done = (): void => {}
      const empty = new Promise<void>((resolve) => drainWaiters.push((done = resolve)))
      return waitOrTimeOut(empty, timeoutMs).then((outcome) => {
        if (outcome === 'timed out') drainWaiters = drainWaiters.filter((w) => w !== done)
      })
    },
    close() {
      isClosed = true
      queue.length = 0
      for (const waiter of drainWaiters.splice(0)) waiter()
    },
  }
}
