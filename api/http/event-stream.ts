import type { StoredEvent } from '../../core/domain/index.ts'
import type { ReplayGate } from './replay-gate.ts'

/** Where the stream reads: the committed log, page by page, and the feed of new commits. */
export interface EventSource {
  readAfter(seq: number, limit: number): StoredEvent[]
  onCommitted(listener: (events: StoredEvent[]) => void): () => void
}

/** Options of one SSE connection. */
export interface EventStreamOptions {
  /** Send every event with a seq above this one. */
  after: number
  /** Interval of `: ping` comments, ms. */
  heartbeatMs: number
  /** Ends the stream (client gone). */
  signal: AbortSignal
  /** Live events buffered for a slow client before it is switched back to reading the log. */
  maxQueued?: number
  /** Called once when the stream ends, for whatever reason. */
  onClose?: () => void
  /** Turns at reading the log, shared with the other streams (default: read whenever pulled, pages of 500). */
  gate?: Pick<ReplayGate, 'turn' | 'pageSize'>
}

const PAGE = 500
const encoder = new TextEncoder()

function format(event: StoredEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`
}

/**
 * A Server-Sent Events body of the global log after `after`, without gap or duplicate: it
 * subscribes to commits first, then replays the log in pages, then sends the live events
 * whose seq is above the last one sent. A client that falls too far behind is switched back
 * to the log, so memory stays bounded. Pull-based: nothing is read faster than the client reads.
 */
export function createEventStream(
  source: EventSource,
  options: EventStreamOptions,
): ReadableStream<Uint8Array> {
  const maxQueued = options.maxQueued ?? 10_000
  const pageSize = options.gate?.pageSize ?? PAGE
  let cursor = options.after
  let replaying = true
  let queue: StoredEvent[] = []
  let wake: (() => void) | null = null
  let closed = false
  let unsubscribe: (() => void) | null = null

  const close = (): void => {
    if (closed) return
    closed = true
    unsubscribe?.()
    queue = []
    wake?.()
    options.onClose?.()
  }

  /**
   * One page of history, read in this stream's turn. A short page switches the stream to live in
   * the same synchronous step as the read, so no commit can fall between the two.
   */
  async function readPage(): Promise<StoredEvent[]> {
    const done = options.gate ? await options.gate.turn() : null
    try {
      if (closed) return []
      const page = source.readAfter(cursor, pageSize)
      if (page.length < pageSize) replaying = false
      return page
    } finally {
      done?.()
    }
  }

  function waitForEvents(): Promise<'events' | 'ping'> {
    return new Promise((resolve) => {
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
  }

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (options.signal.aborted) {
          close()
          controller.close()
          return
        }
        options.signal.addEventListener('abort', close, { once: true })
        unsubscribe = source.onCommitted((events) => {
          if (closed) return
          if (replaying) return
          queue.push(...events)
          if (queue.length > maxQueued) {
            // Too far behind: forget the buffer and read the same events from the log instead.
            queue = []
            replaying = true
          }
          wake?.()
        })
        controller.enqueue(encoder.encode(`retry: 2000\n: resuming after ${cursor}\n\n`))
      },
      async pull(controller) {
        while (!closed) {
          if (replaying) {
            const page = await readPage()
            if (closed) break
            if (page.length === 0) continue
            cursor = page[page.length - 1]!.seq
            controller.enqueue(encoder.encode(page.map(format).join('')))
            return
          }
          const fresh = queue.filter((e) => e.seq > cursor)
          queue = []
          if (fresh.length > 0) {
            cursor = fresh[fresh.length - 1]!.seq
            controller.enqueue(encoder.encode(fresh.map(format).join('')))
            return
          }
          if ((await waitForEvents()) === 'ping') {
            controller.enqueue(encoder.encode(': ping\n\n'))
            return
          }
        }
        try {
          controller.close()
        } catch {
          // Already cancelled by the consumer: nothing left to close.
        }
      },
      cancel() {
        close()
      },
    },
    { highWaterMark: 1 },
  )
}
