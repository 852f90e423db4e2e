import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import {
  type PipelineDetail,
  type PipelineId,
  replayDetail,
  type StoredEvent,
} from '../../core/domain/index.ts'
import { CHECKPOINT_EVERY } from '../../core/monitor/index.ts'
import { startTestApi, type TestApi } from '../../api/testing/start-test-api.ts'
import { writeLongHistory } from '../support/long-history.ts'

// A run of 100,000 events: paging its history and asking for its state at N must stay cheap.
const TOTAL = 100_000
const ID = 'p0long0history' as PipelineId
const dir = mkdtempSync(join(tmpdir(), 'banzai-load-history-'))
let api: TestApi

beforeAll(async () => {
  writeLongHistory(join(dir, 'banzai.db'), ID, TOTAL)
  api = await startTestApi({ inProcess: { dir, workers: 0 } })
}, 120_000)
afterAll(async () => {
  await api?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Counts the event rows the read side pulls out of the log, by method. */
function countRowsRead(t: TestApi): { rows: () => Record<string, number>; reset: () => void } {
  const log = t.env.log
  let counts: Record<string, number> = {}
  const count = (name: string, events: StoredEvent[]): StoredEvent[] => {
    counts[name] = (counts[name] ?? 0) + events.length
    return events
  }
  const range = log.readPipelineRange.bind(log)
  const page = log.readPipeline.bind(log)
  const after = log.readAfter.bind(log)
  vi.spyOn(log, 'readPipelineRange').mockImplementation((...args) =>
    count('readPipelineRange', range(...args)),
  )
  vi.spyOn(log, 'readPipeline').mockImplementation((...args) => count('readPipeline', page(...args)))
  vi.spyOn(log, 'readAfter').mockImplementation((...args) => count('readAfter', after(...args)))
  return { rows: () => counts, reset: () => (counts = {}) }
}

describe('a run with 100,000 events', () => {
  test('its events page through in order, 1,000 at a time, with the right `next`', async () => {
    const seen: StoredEvent[] = []
    let after = 0
    let pages = 0
    for (;;) {
      const page = await api.json<{ events: StoredEvent[]; next: number | null }>(
        `/api/pipelines/${ID}/events?after=${after}&limit=1000`,
      )
      expect(page.status).toBe(200)
      pages++
      expect(page.body.events).toHaveLength(1000)
      expect(page.body.events.map((e) => e.pipelineSeq)).toEqual(
        Array.from({ length: 1000 }, (_, i) => after + i + 1),
      )
      seen.push(...page.body.events)
      if (page.body.next === null) break
      expect(page.body.next).toBe(after + 1000)
      after = page.body.next
    }
    expect(pages).toBe(TOTAL / 1000)
    expect(seen).toHaveLength(TOTAL)
    expect(seen.every((e, i) => e.seq === i + 1 && e.pipelineId === ID)).toBe(true)
    expect(seen[0]!.type).toBe('PipelineSubmitted')
    expect(seen.slice(-3).map((e) => e.type)).toEqual(['UnitSucceeded', 'StepSucceeded', 'PipelineSucceeded'])
    expect(seen.filter((e) => e.type === 'UnitProgressed')).toHaveLength(TOTAL - 7)
    // Past the end: an empty page, no next.
    const end = await api.json<{ events: StoredEvent[]; next: number | null }>(
      `/api/pipelines/${ID}/events?after=${TOTAL}&limit=1000`,
    )
    expect(end.body).toEqual({ events: [], next: null })
  })

  test('state?at=N equals a replay of the first N events, reading at most CHECKPOINT_EVERY events per answer', async () => {
    const ats = [
      1,
      2,
      4,
      5,
      499,
      500,
      501,
      999,
      1000,
      12_345,
      50_000,
      50_001,
      77_777,
      99_499,
      99_500,
      99_999,
      TOTAL,
    ]
    // The expected details, from one replay of the whole history (read before counting starts).
    const history = api.env.log.readPipelineRange(ID, 0, TOTAL)
    expect(history).toHaveLength(TOTAL)
    const expected = new Map<number, PipelineDetail>()
    let detail: PipelineDetail | null = null
    for (const event of history) {
      detail = replayDetail([event], detail)
      if (ats.includes(event.pipelineSeq)) expected.set(event.pipelineSeq, detail!)
    }
    // A spot check that the incremental replay is the replay of the first N events.
    expect(replayDetail(history.slice(0, 12_345))).toEqual(expected.get(12_345))

    const probe = countRowsRead(api)
    const read: Record<number, number> = {}
    for (const at of ats) {
      probe.reset()
      const answer = await api.json<PipelineDetail>(`/api/pipelines/${ID}/state?at=${at}`)
      expect(answer.status).toBe(200)
      expect(answer.body).toEqual(JSON.parse(JSON.stringify(expected.get(at))))
      expect(answer.body.pipelineSeq).toBe(at)
      const rows = probe.rows()
      read[at] = Object.values(rows).reduce((a, b) => a + b, 0)
      // Only the range after the nearest checkpoint is read: never a page of the whole history.
      expect(Object.keys(rows).filter((k) => k !== 'readPipelineRange')).toEqual([])
      expect(read[at]).toBeLessThan(CHECKPOINT_EVERY)
      expect(read[at]).toBe(at === TOTAL ? 0 : at % CHECKPOINT_EVERY)
    }
    // Past the end: the current state, read from the snapshot alone.
    probe.reset()
    const past = await api.json<PipelineDetail>(`/api/pipelines/${ID}/state?at=${TOTAL + 10}`)
    expect(past.body).toEqual(JSON.parse(JSON.stringify(expected.get(TOTAL))))
    expect(past.body.status).toBe('succeeded')
    expect(Object.values(probe.rows()).reduce((a, b) => a + b, 0)).toBe(0)
    console.log(`state?at=N rows read: ${JSON.stringify(read)}`)
    vi.restoreAllMocks()
  })
})
