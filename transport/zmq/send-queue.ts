import { waitOrTimeOut } from '../timing/index.ts'

/** What one send hands a socket: one frame (JSON text or bytes), or the frames of a multipart message. */
export type Frames = string | Buffer | Buffer[]

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

/** Creates a send queue over `socket`; a failed send is reported through `onError` and the queue moves on. */
export function createSendQueue(socket: Sendable, onError: (error: unknown) => void): SendQueue {
  const queue: Frames[] = []
  let isSending = false
  let isClosed = false
  let drainWaiters: (() => void)[] = []

  const pump = async (): Promise<void> => {
    if (isSending) return
    isSending = true
    try {
      for (let frame = queue.shift(); frame && !isClosed; frame = queue.shift()) {
        try {
          await socket.send(frame)
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
