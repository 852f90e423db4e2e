import { type StoredEvent, storedEventJson } from '../../core/domain/index.ts'

/** What the pages are read from: the committed log and its highest seq (in memory). */
export interface PageSource {
  readAfter(seq: number, limit: number): StoredEvent[]
  lastSeq(): number
}

/** One page of the log as SSE bytes: the frames of up to `pageSize` events after some seq. */
export interface EncodedPage {
  bytes: Buffer
  /** Events in the page (fewer than the page size: the page reached the end of the log). */
  count: number
  /** Seq of the page's last event (the seq it was read after, when empty). */
  last: number
}

/** SSE frames encoded once and shared by every stream of one API. */
export interface SsePages {
  readonly pageSize: number
  /** The page of events after `after`: from the cache while it is still what the log holds. */
  read(after: number): EncodedPage
  /** The frames of live events, each encoded once however many streams send it. */
  encodeLive(events: readonly StoredEvent[]): Buffer
  /** Pages read from the log, pages served from the cache, and what the cache holds (for tests and benchmarks). */
  stats(): { reads: number; hits: number; cached: number; bytes: number }
}

/** One event as an SSE frame: `id:` the global seq, `event:` the type, `data:` the stored event. */
export function formatFrame(event: StoredEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${storedEventJson(event)}\n\n`
}

/**
 * A small LRU of encoded pages keyed by the seq they follow (default at most 128 pages and
 * 32 MiB). The log only
 * grows at its end, so a full page never changes, and a short one (the tail) is still the truth
 * while the log's last seq is the page's own. A thousand clients replaying from the same place
 * thus cost one read, one parse and one encoding per page, not a thousand.
 */
export function createSsePages(
  source: PageSource,
  options: { pageSize: number; maxPages?: number; maxBytes?: number },
): SsePages {
  const { pageSize } = options
  const maxPages = options.maxPages ?? 128
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024
  const pages = new Map<number, EncodedPage>()
  let bytes = 0
  const forget = (after: number): void => {
    const page = pages.get(after)
    if (!page) return
    bytes -= page.bytes.length
    pages.delete(after)
  }
  // Live events reach every stream as the same objects: encode each one once.
  const live = new WeakMap<StoredEvent, Buffer>()
  let reads = 0
  let hits = 0

  const isCurrent = (page: EncodedPage): boolean => page.count === pageSize || page.last === source.lastSeq()

  return {
    pageSize,
    read(after) {
      const cached = pages.get(after)
      if (cached && isCurrent(cached)) {
        hits++
        // Refresh its place in the LRU order.
        pages.delete(after)
        pages.set(after, cached)
        return cached
      }
      reads++
      const events = source.readAfter(after, pageSize)
      const page: EncodedPage = {
        bytes: Buffer.from(events.map(formatFrame).join('')),
        count: events.length,
        last: events.at(-1)?.seq ?? after,
      }
      forget(after)
      pages.set(after, page)
      bytes += page.bytes.length
      // The oldest go first; the page just read stays, however large.
      while (pages.size > 1 && (pages.size > maxPages || bytes > maxBytes)) forget(pages.keys().next().value!)
      return page
    },
    encodeLive(events) {
      const frames = events.map((event) => {
        let frame = live.get(event)
        if (!frame) {
          frame = Buffer.from(formatFrame(event))
          live.set(event, frame)
        }
        return frame
      })
      return frames.length === 1 ? frames[0]! : Buffer.concat(frames)
    },
    stats: () => ({ reads, hits, cached: pages.size, bytes }),
  }
}
