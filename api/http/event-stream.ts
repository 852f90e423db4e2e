import type { StoredEvent } from '../../core/domain/index.ts'
import type { ReplayGate } from './replay-gate.ts'
import type { SsePages } from './sse-pages.ts'

/** The feed of new commits that a stream follows once it has caught up with the log. */
export interface CommitFeed {
  onCommitted(listener: (events: StoredEvent[]) => void): () => void
}

/** Where a stream writes: a node `ServerResponse` (its headers set by `writeHead`), or any such writable. */
export interface SseSink {
  /** Returns false when the buffer is full: wait for `drain`. */
  write(chunk: Uint8Array | string): boolean
  end(): void
  once(event: 'drain' | 'close', listener: () => void): unknown
  off(event: 'drain' | 'close', listener: () => void): unknown
  readonly destroyed: boolean
}

/** Options of one SSE connection. */
export interface EventStreamOptions {
  /** Send every event with a seq above this one. */
  after: number
  /** Interval of `: ping` comments, ms. */
  heartbeatMs: number
  /** Live events buffered for a slow client before it is switched back to reading the log. */
  maxQueued?: number
  /** Sets the response's headers; called once, just before the first write. */
  writeHead?: () => void
  /** Called once when the stream ends, for whatever reason. */
  onClose?: () => void
  /** Turns at reading the log, shared with the other streams. */
  gate: Pick<ReplayGate, 'turn'>
  /** The log's pages, encoded once for every stream. */
  pages: SsePages
}

/**
 * Writes a Server-Sent Events stream of the global log after `after` to `sink`, without gap or
 * duplicate: it subscribes to commits first, then replays the log one page per turn of the gate
 * (one `write` per page), then sends the live events whose seq is above the last one sent. A
 * client that falls too far behind is switched back to the log, so memory stays bounded. Nothing
 * is read faster than the client reads: a full socket buffer waits for `drain`. Resolves when the
 * stream has ended (the client left, or the sink was destroyed).
 */
export async function pipeEventStream(
  feed: CommitFeed,
  sink: SseSink,
  options: EventStreamOptions,
): Promise<void> {
  const maxQueued = options.maxQueued ?? 10_000
  const { gate, pages } = options
  let cursor = options.after
  let replaying = true
  let queue: StoredEvent[] = []
  let wake: (() => void) | null = null
  // Separate from `wake`: a commit must not end the wait for `drain` (the buffer is still full).
  let stopDraining: (() => void) | null = null
  let closed = sink.destroyed

  const close = (): void => {
    if (closed) return
    closed = true
    queue = []
    wake?.()
    stopDraining?.()
  }
  sink.once('close', close)
  const unsubscribe = feed.onCommitted((events) => {
    if (closed || replaying) return
    queue.push(...events)
    if (queue.length > maxQueued) {
      // Too far behind: forget the buffer and read the same events from the log instead.
      queue = []
      replaying = true
    }
    wake?.()
  })

  /** Resolves on `drain` or when the stream closes, whichever comes first. */
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        sink.off('drain', done)
        stopDraining = null
        resolve()
      }
      stopDraining = done
      sink.once('drain', done)
    })

  // Sent with the first page, in the stream's first turn: node sends the headers, this and the
  // page in one write, and a burst of clients is not answered all in the turn it arrives.
  let greeting: string | null = `retry: 2000\n: resuming after ${cursor}\n\n`
  const send = async (chunk: Uint8Array | string): Promise<void> => {
    if (closed) return
    if (greeting !== null) {
      options.writeHead?.()
      sink.write(greeting)
      greeting = null
    }
    if (!sink.write(chunk)) await drained()
  }

  /**
   * One page of history, read in this stream's turn. A short page switches the stream to live in
   * the same synchronous step as the read, so no commit can fall between the two.
   */
  const readPage = async (): Promise<Buffer | null> => {
    const done = await gate.turn()
    try {
      if (closed) return null
      const page = pages.read(cursor)
      if (page.count < pages.pageSize) replaying = false
      if (page.count === 0) return null
      cursor = page.last
      return page.bytes
    } finally {
      done()
    }
  }

  const waitForEvents = (): Promise<'events' | 'ping'> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = null
        resolve('ping')
      }, options.heartbeatMs)
      wake = () => {
        clearTimeout(timer)
        wake = null
        resolve('events')
      }
    })

  try {
    while (!closed) {
      if (replaying) {
        const bytes = await readPage()
        if (bytes) await send(bytes)
        continue
      }
      if (greeting !== null) await send('')
      const fresh = queue.filter((e) => e.seq > cursor)
      queue = []
      if (fresh.length > 0) {
        cursor = fresh[fresh.length - 1]!.seq
        await send(pages.encodeLive(fresh))
        continue
      }
      if ((await waitForEvents()) === 'ping') await send(': ping\n\n')
    }
  } finally {
    closed = true
    unsubscribe()
    sink.off('close', close)
    if (!sink.destroyed) sink.end()
    options.onClose?.()
  }
}
