import { expect, test } from 'vitest'
import type { StoredEvent } from '../../core/domain/index.ts'
import { createSsePages, formatFrame, type PageSource } from './sse-pages.ts'

// The pages that every stream of one API shares: read and encoded once while the log still holds
// exactly them, and never served once a commit has made them stale.

function event(seq: number): StoredEvent {
  return {
    seq,
    pipelineId: 'p1',
    pipelineSeq: seq,
    at: '2026-01-01T00:00:00.000Z',
    type: 'PipelineCancelled',
    data: { reason: `r${seq}` },
  } as unknown as StoredEvent
}

/** A log of `last` events that counts its reads; `append` commits more. */
function fakeLog(last: number): PageSource & { reads: number[]; append(n: number): void } {
  let top = last
  const log = {
    reads: [] as number[],
    readAfter(seq: number, limit: number) {
      log.reads.push(seq)
      const events: StoredEvent[] = []
      for (let s = seq + 1; s <= Math.min(top, seq + limit); s++) events.push(event(s))
      return events
    },
    lastSeq: () => top,
    append(n: number) {
      top += n
    },
  }
  return log
}

const text = (bytes: Buffer): string => bytes.toString('utf8')

test('a full page is read from the log once, then served to every reader from the cache', () => {
  const log = fakeLog(25)
  const pages = createSsePages(log, { pageSize: 10 })
  for (let reader = 0; reader < 50; reader++) {
    const first = pages.read(0)
    expect(first.count).toBe(10)
    expect(first.last).toBe(10)
    expect(text(first.bytes)).toBe(Array.from({ length: 10 }, (_, i) => formatFrame(event(i + 1))).join(''))
    expect(pages.read(10).last).toBe(20)
  }
  expect(log.reads).toEqual([0, 10])
  log.append(100) // commits after a full page do not change it
  expect(pages.read(0).last).toBe(10)
  expect(log.reads).toEqual([0, 10])
})

test('the short page at the end of the log is shared only until the next commit', () => {
  const log = fakeLog(25)
  const pages = createSsePages(log, { pageSize: 10 })
  expect(pages.read(20).count).toBe(5)
  expect(pages.read(20).count).toBe(5)
  expect(log.reads).toEqual([20])
  log.append(3)
  const fresh = pages.read(20)
  expect(fresh.count).toBe(8)
  expect(fresh.last).toBe(28)
  expect(log.reads).toEqual([20, 20])
  // At the very end: an empty page, valid while nothing is committed.
  expect(pages.read(28)).toMatchObject({ count: 0, last: 28 })
  expect(pages.read(28).count).toBe(0)
  log.append(1)
  expect(pages.read(28)).toMatchObject({ count: 1, last: 29 })
  expect(log.reads).toEqual([20, 20, 28, 28])
})

test('the cache keeps at most maxPages pages, dropping the least recently read', () => {
  const log = fakeLog(100)
  const pages = createSsePages(log, { pageSize: 10, maxPages: 3 })
  for (const after of [0, 10, 20]) pages.read(after)
  pages.read(0) // most recent now
  pages.read(30) // evicts 10
  expect(pages.stats().cached).toBe(3)
  log.reads.length = 0
  pages.read(0)
  pages.read(20)
  pages.read(30)
  expect(log.reads).toEqual([])
  pages.read(10)
  expect(log.reads).toEqual([10])
})

test('a live event is encoded once, whatever the number of streams that send it', () => {
  const pages = createSsePages(fakeLog(0), { pageSize: 10 })
  const committed = [event(1), event(2)]
  const a = pages.encodeLive(committed)
  const b = pages.encodeLive(committed)
  expect(text(a)).toBe(formatFrame(event(1)) + formatFrame(event(2)))
  expect(text(b)).toBe(text(a))
  // One event alone: the very same bytes, not a copy.
  expect(pages.encodeLive([committed[0]!])).toBe(pages.encodeLive([committed[0]!]))
})

test('the cache also keeps at most maxBytes of pages, and always the page just read', () => {
  const log = fakeLog(100)
  const onePage = createSsePages(log, { pageSize: 10 }).read(0).bytes.length
  const pages = createSsePages(log, { pageSize: 10, maxBytes: onePage * 2.5 })
  for (const after of [0, 10, 20, 30]) pages.read(after)
  expect(pages.stats().cached).toBe(2)
  expect(pages.stats().bytes).toBeLessThanOrEqual(onePage * 2.5)
  const tiny = createSsePages(log, { pageSize: 10, maxBytes: 1 })
  tiny.read(0)
  tiny.read(10)
  expect(tiny.stats().cached).toBe(1)
  log.reads.length = 0
  tiny.read(10)
  expect(log.reads).toEqual([])
})
