import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import {
  catalogue,
  type ControlMessage,
  DEFAULT_RETRY_POLICY,
  type MonitorTransport,
  persistPipeline,
  StoredEvent,
  type TaskOrder,
} from '../domain/index.ts'
import { createMemoryStore } from '../../transport/memory/index.ts'
import { EventLog } from './event-log.ts'
import { Monitor } from './engine/monitor.ts'
import { PipelineTable } from './pipeline-table.ts'
import { replayFromZero } from './replay.ts'
import { monitorSettings } from './settings.ts'
import { openDatabase } from './sqlite/open-database.ts'

const LOGS = fileURLToPath(new URL('../../fixtures/logs/', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'banzai-replay-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const logs = readdirSync(LOGS)
  .filter((f) => f.endsWith('.events.jsonl'))
  .map((f) => f.replace('.events.jsonl', ''))

describe.each(logs)('the recorded log %s', (name) => {
  const events = readFileSync(join(LOGS, `${name}.events.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => StoredEvent.parse(JSON.parse(l)))
  const recorded = JSON.parse(readFileSync(join(LOGS, `${name}.details.json`), 'utf8')) as Record<
    string,
    unknown
  >

  function loadInto(file: string) {
    const db = openDatabase(join(dir, file))
    const log = new EventLog(db)
    db.transaction(() => log.append(events))()
    return { db, log }
  }

  test('every event still parses, and replays to the recorded projections', () => {
    const { db, log } = loadInto(`${name}-a.db`)
    const replayed = replayFromZero(log, DEFAULT_RETRY_POLICY)
    expect(Object.fromEntries([...replayed].map(([id, r]) => [id, r.detail]))).toEqual(recorded)
    db.close()
  })

  test('replaying twice gives identical state', () => {
    const { db, log } = loadInto(`${name}-b.db`)
    const once = replayFromZero(log, DEFAULT_RETRY_POLICY)
    const twice = replayFromZero(log, DEFAULT_RETRY_POLICY)
    expect([...twice].map(([id, r]) => [id, r.detail, r.snapshot.context])).toEqual(
      [...once].map(([id, r]) => [id, r.detail, r.snapshot.context]),
    )
    db.close()
  })

  test('a monitor started on the replayed log sends no order and no cancel', async () => {
    const { db, log } = loadInto(`${name}-c.db`)
    const pipelines = new PipelineTable(db)
    const replayed = replayFromZero(log, DEFAULT_RETRY_POLICY)
    db.transaction(() => {
      for (const [, r] of replayed) {
        const live = r.snapshot.context.status === 'active'
        pipelines.save(r.detail, log.lastSeq(), live ? persistPipeline(r.snapshot) : null, null)
      }
    })()
    const sent: (TaskOrder | ControlMessage)[] = []
    const transport: MonitorTransport = {
      sendOrder: (_worker, order) => sent.push(order),
      admitWorker: () => {},
      dropWorker: () => {},
      onWorkerGone: () => {},
      publish: (message) => sent.push(message),
      onMessage: () => {},
      dropped: () => ({}),
      close: async () => {},
    }
    const monitor = new Monitor({
      db,
      store: createMemoryStore(),
      transport,
      catalogue,
      settings: monitorSettings({ tickMs: 20 }),
    })
    monitor.start()
    await monitor.stop()
    expect(sent.filter((m) => m.type !== 'Hello')).toEqual([])
    expect([...replayed.values()].reduce((n, r) => n + r.decided, 0)).toBeGreaterThan(0) // the machines did decide things
    db.close()
  })
})

test('the v3 graph log is among them, with a merged step that lists its inputs', () => {
  expect(logs).toEqual(expect.arrayContaining(['v1-utility', 'v2-sharded', 'v3-graph']))
  const events = readFileSync(join(LOGS, 'v3-graph.events.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => StoredEvent.parse(JSON.parse(l)))
  const merged = events.filter((e) => e.type === 'StepStarted' && (e.data.inputs?.length ?? 0) === 2)
  expect(merged).toHaveLength(1)
})
