import {
  type Cid,
  createPipeline,
  DEFAULT_RETRY_POLICY,
  type DomainEvent,
  evolveDetail,
  type OrderId,
  type PipelineDetail,
  type PipelineId,
  type PipelineSnapshot,
  stepPipeline,
  type StoredEvent,
} from '../../core/domain/index.ts'
import { CHECKPOINT_EVERY, EventLog, openDatabase, PipelineTable } from '../../core/monitor/index.ts'

const CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku' as Cid
const START = Date.parse('2026-01-01T00:00:00.000Z')

/** The history of one finished pipeline with `total` events (≥ 8): one SLEEP step reporting progress. */
export function* longHistory(id: PipelineId, total: number): Generator<DomainEvent> {
  const orderId = `${id}.0.0.1` as OrderId
  const unit = { step: 0, shard: 0, attempt: 1 }
  const progress = total - 7
  yield {
    type: 'PipelineSubmitted',
    data: {
      name: 'long history',
      tasks: [{ call: 'SLEEP', args: [progress], version: 1, lane: 'default', timeoutMs: 86_400_000 }],
      labels: {},
      cache: false,
      retryOf: null,
    },
  }
  yield { type: 'StepStarted', data: { step: 0, input: null, shards: 1, memoKey: 'k' } }
  yield { type: 'UnitDispatched', data: { ...unit, orderId, lane: 'default' } }
  yield { type: 'UnitStarted', data: { ...unit, orderId, worker: 'w1' } }
  for (let done = 1; done <= progress; done++)
    yield { type: 'UnitProgressed', data: { ...unit, done, total: progress, unit: 'ms' } }
  yield { type: 'UnitSucceeded', data: { ...unit, output: CID, refs: [], stats: {} } }
  yield { type: 'StepSucceeded', data: { step: 0, output: CID, refs: [] } }
  yield { type: 'PipelineSucceeded', data: { output: CID } }
}

/**
 * Writes a pipeline of `total` events into the monitor's SQLite file the way the monitor does:
 * each event goes through the machine (so the history is one it accepts) and the projection, and
 * the snapshot row is saved after every event and a checkpoint every CHECKPOINT_EVERY events, in
 * transactions of 5,000.
 */
export function writeLongHistory(file: string, id: PipelineId, total: number): void {
  const db = openDatabase(file)
  const log = new EventLog(db)
  const table = new PipelineTable(db)
  let snapshot: PipelineSnapshot | null = null
  let detail: PipelineDetail | null = null
  let pipelineSeq = 0
  let batch: { stored: StoredEvent; detail: PipelineDetail }[] = []
  const flush = db.transaction((rows: { stored: StoredEvent; detail: PipelineDetail }[]) => {
    log.append(rows.map((r) => r.stored))
    for (const row of rows) {
      table.save(row.detail, row.stored.seq, null, null)
      if (row.detail.pipelineSeq % CHECKPOINT_EVERY === 0) table.saveCheckpoint(row.detail)
    }
  })
  for (const event of longHistory(id, total)) {
    pipelineSeq++
    const at = new Date(START + pipelineSeq).toISOString()
    if (event.type === 'PipelineSubmitted')
      snapshot = createPipeline({ id, submitted: event.data, policy: DEFAULT_RETRY_POLICY })
    const stored: StoredEvent = { ...event, seq: pipelineSeq, pipelineId: id, pipelineSeq, at }
    snapshot = stepPipeline(snapshot!, event, at).snapshot
    detail = evolveDetail(detail, stored)
    batch.push({ stored, detail })
    if (batch.length === 5_000) {
      flush(batch)
      batch = []
    }
  }
  flush(batch)
  if (snapshot?.context.status === 'active') throw new Error('the synthetic history should end its pipeline')
  db.close()
}
