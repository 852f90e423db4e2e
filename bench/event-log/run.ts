// Benchmark (not a test): durable events appended per second, and monitor restart time with
// 100k and 1M events in the log. Writes bench/results/event-log.json and .md.
// Usage: node --import tsx bench/event-log/run.ts [--quick]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  catalogue,
  type Cid,
  createPipeline,
  DEFAULT_RETRY_POLICY,
  type DomainEvent,
  evolveDetail,
  type MonitorTransport,
  type OrderId,
  persistPipeline,
  type PipelineDetail,
  type PipelineId,
  stepPipeline,
  type StoredEvent,
} from '../../core/domain/index.ts'
import {
  EventLog,
  Monitor,
  monitorSettings,
  openDatabase,
  PipelineTable,
  replayFromZero,
} from '../../core/monitor/index.ts'
import { GcRootsTable } from '../../core/monitor/gc-roots-table.ts'
import { createMemoryStore } from '../../transport/memory/index.ts'

const quick = process.argv.includes('--quick')
const root = mkdtempSync(join(tmpdir(), 'banzai-bench-log-'))
const T = '2026-01-01T00:00:00.000Z'
const CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku' as Cid

/** One pipeline's history: submitted, a step with progress, success (or left running). */
function history(id: PipelineId, progress: number, finish: boolean): DomainEvent[] {
  const orderId = `${id}.0.0.1` as OrderId
  const events: DomainEvent[] = [
    {
      type: 'PipelineSubmitted',
      data: {
        name: id,
        tasks: [{ call: 'SLEEP', args: [1], version: 1, lane: 'default', timeoutMs: 86_400_000 }],
        labels: {},
        cache: false,
        retryOf: null,
      },
    },
    { type: 'StepStarted', data: { step: 0, input: null, shards: 1, memoKey: 'k' } },
    { type: 'UnitDispatched', data: { step: 0, shard: 0, attempt: 1, orderId, lane: 'default' } },
    { type: 'UnitStarted', data: { step: 0, shard: 0, attempt: 1, orderId, worker: 'w1' } },
  ]
  for (let i = 1; i <= progress; i++)
    events.push({
      type: 'UnitProgressed',
      data: { step: 0, shard: 0, attempt: 1, done: i, total: progress, unit: 'items' },
    })
  if (finish) {
    events.push({
      type: 'UnitSucceeded',
      data: { step: 0, shard: 0, attempt: 1, output: CID, refs: [], stats: {} },
    })
    events.push({ type: 'StepSucceeded', data: { step: 0, output: CID, refs: [] } })
    events.push({ type: 'PipelineSucceeded', data: { output: CID } })
  }
  return events
}

/** Fills a log with `total` events over pipelines of ~100 events; `live` of them left running. */
function fillLog(file: string, total: number, live: number): { pipelines: number } {
  const db = openDatabase(file)
  const log = new EventLog(db)
  const table = new PipelineTable(db)
  // As the monitor writes a log: its GC roots in the same transactions (an empty log's backfill
  // only marks the table built). Without them, the first start would backfill them from the whole
  // log, a one-time migration of logs older than the table, not what a restart costs.
  const roots = new GcRootsTable(db)
  roots.backfill(log)
  let seq = 0
  let pipelines = 0
  while (seq < total) {
    const batch: StoredEvent[] = []
    const saves: [PipelineDetail, number, ReturnType<typeof persistPipeline> | null][] = []
    for (let p = 0; p < 100 && seq < total; p++) {
      const id = `p${String(pipelines++).padStart(8, '0')}` as PipelineId
      const finish = pipelines > live
      let snapshot = createPipeline({
        id,
        submitted: (history(id, 0, false)[0] as DomainEvent & { type: 'PipelineSubmitted' }).data,
        policy: DEFAULT_RETRY_POLICY,
      })
      let detail: PipelineDetail | null = null
      let pipelineSeq = 0
      for (const event of history(id, 93, finish)) {
        const stored = { ...event, seq: ++seq, pipelineId: id, pipelineSeq: ++pipelineSeq, at: T }
        snapshot = stepPipeline(snapshot, event, T).snapshot
        detail = evolveDetail(detail, stored)
        batch.push(stored)
      }
      saves.push([detail!, seq, finish ? null : persistPipeline(snapshot)])
    }
    db.transaction(() => {
      log.append(batch)
      roots.record(batch)
      for (const [d, s, m] of saves) table.save(d, s, m, null)
    })()
  }
  db.close()
  return { pipelines }
}

const silent: MonitorTransport = {
  sendOrder: () => {},
  admitWorker: () => {},
  dropWorker: () => {},
  onWorkerGone: () => {},
  publish: () => {},
  onMessage: () => {},
  dropped: () => ({}),
  close: async () => {},
}

async function measureRestart(
  file: string,
): Promise<{ restartMs: number; live: number; fullReplayMs: number | null }> {
  const t0 = performance.now()
  const db = openDatabase(file)
  const monitor = new Monitor({
    db,
    store: createMemoryStore(),
    transport: silent,
    catalogue,
    settings: monitorSettings({ tickMs: 60_000 }),
  })
  monitor.start()
  const restartMs = performance.now() - t0
  const live = monitor.stats().livePipelines
  await monitor.stop()
  const t1 = performance.now()
  replayFromZero(new EventLog(db), DEFAULT_RETRY_POLICY)
  const fullReplayMs = performance.now() - t1
  db.close()
  return { restartMs, live, fullReplayMs }
}

function measureAppend(file: string, batchSize: number, seconds: number): number {
  const db = openDatabase(file)
  const log = new EventLog(db)
  let seq = log.lastSeq()
  let appended = 0
  const end = performance.now() + seconds * 1000
  while (performance.now() < end) {
    const batch: StoredEvent[] = []
    for (let i = 0; i < batchSize; i++) {
      seq++
      batch.push({
        type: 'UnitProgressed',
        seq,
        pipelineId: 'bench' as PipelineId,
        pipelineSeq: seq,
        at: T,
        data: { step: 0, shard: 0, attempt: 1, done: i, total: batchSize, unit: 'items' },
      })
    }
    db.transaction(() => log.append(batch))()
    appended += batchSize
  }
  db.close()
  return appended / seconds
}

const results: Record<string, number | string | null> = {
  date: new Date().toISOString(),
  node: process.version,
}
for (const batch of [1, 10, 100]) {
  results[`append_events_per_s_batch_${batch}`] = Math.round(
    measureAppend(join(root, `append-${batch}.db`), batch, quick ? 1 : 3),
  )
  console.log(
    `append, ${batch} per transaction: ${results[`append_events_per_s_batch_${batch}`]} events/s (durable: WAL, synchronous=FULL)`,
  )
}
for (const total of quick ? [100_000] : [100_000, 1_000_000]) {
  const file = join(root, `restart-${total}.db`)
  const t0 = performance.now()
  const { pipelines } = fillLog(file, total, 100)
  console.log(
    `filled ${total} events (${pipelines} pipelines, 100 live) in ${Math.round(performance.now() - t0)} ms`,
  )
  const r = await measureRestart(file)
  results[`restart_ms_${total}`] = Math.round(r.restartMs)
  results[`full_replay_ms_${total}`] = r.fullReplayMs === null ? null : Math.round(r.fullReplayMs)
  console.log(
    `restart with ${total} events: ${Math.round(r.restartMs)} ms (${r.live} live pipelines loaded from snapshots); a full replay from zero takes ${Math.round(r.fullReplayMs ?? 0)} ms`,
  )
}
rmSync(root, { recursive: true, force: true })
const dir = new URL('../results/', import.meta.url)
mkdirSync(dir, { recursive: true })
writeFileSync(new URL('event-log.json', dir), JSON.stringify(results, null, 2) + '\n')
const rows = Object.entries(results).map(([k, v]) => `| ${k} | ${v} |`)
writeFileSync(
  new URL('event-log.md', dir),
  `# Event log benchmark\n\n| figure | value |\n|---|---|\n${rows.join('\n')}\n`,
)
