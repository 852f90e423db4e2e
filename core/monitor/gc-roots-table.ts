import { assertNever, type Cid, type StoredEvent } from '../domain/index.ts'
import type { EventLog } from './event-log.ts'
import type { Db } from './sqlite/open-database.ts'

/** The CIDs an event names directly: step inputs and shard lists, unit and step outputs and their refs, pipeline outputs. */
export function cidsOfEvent(e: StoredEvent): Cid[] {
  switch (e.type) {
    case 'StepStarted':
      return [...(e.data.input ? [e.data.input] : []), ...(e.data.shardLists ? [e.data.shardLists] : [])]
    case 'StepCacheHit':
    case 'StepSucceeded':
    case 'UnitSucceeded':
      return [e.data.output, ...e.data.refs]
    case 'PipelineSucceeded':
      return [e.data.output]
    case 'PipelineSubmitted':
    case 'StepJoined':
    case 'UnitDispatched':
    case 'UnitStarted':
    case 'UnitProgressed':
    case 'UnitFailed':
    case 'UnitLeaseExpired':
    case 'UnitWorkerLost':
    case 'UnitRetryScheduled':
    case 'UnitReportIgnored':
    case 'StepFailed':
    case 'PipelineFailed':
    case 'PipelineCancelled':
    case 'PipelineDeleted':
      return []
    default:
      return assertNever(e, 'event')
  }
}

/**
 * The GC roots (SPEC §4): every CID a pipeline not yet deleted names, one row per
 * (pipeline, CID), written in the same transaction as the events that name them. A mark reads
 * this table (linear in rows), never the log; `PipelineDeleted` removes the pipeline's rows.
 */
export class GcRootsTable {
  private readonly insert
  private readonly removeOf

  constructor(private readonly db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS gc_roots (
      pipeline_id TEXT NOT NULL,
      cid TEXT NOT NULL,
      PRIMARY KEY (pipeline_id, cid)
    ) WITHOUT ROWID`)
    db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
    this.insert = db.prepare('INSERT OR IGNORE INTO gc_roots (pipeline_id, cid) VALUES (?, ?)')
    this.removeOf = db.prepare('DELETE FROM gc_roots WHERE pipeline_id = ?')
  }

  /**
   * Fills the table once from a log recorded before it existed (one pass, then never again):
   * every pipeline's CIDs, less those of pipelines deleted since.
   */
  backfill(log: EventLog): void {
    const done = this.db.prepare("SELECT 1 FROM meta WHERE key = 'gc_roots'").get()
    if (done !== undefined) return
    this.db.transaction(() => {
      const deleted = new Set<string>()
      for (const e of log.readAll()) {
        if (e.type === 'PipelineDeleted') deleted.add(e.pipelineId)
        for (const cid of cidsOfEvent(e)) this.insert.run(e.pipelineId, cid)
      }
      for (const id of deleted) this.removeOf.run(id)
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('gc_roots', 'built')").run()
    })()
  }

  /** Adds the CIDs these events name (inside the tick's transaction). */
  record(events: readonly StoredEvent[]): void {
    // A tick names the same CIDs many times (a step's output is the next step's input): one insert each.
    let seen = new Set<string>()
    for (const e of events) {
      if (e.type === 'PipelineDeleted') {
        this.removeOf.run(e.pipelineId)
        seen = new Set()
        continue
      }
      for (const cid of cidsOfEvent(e)) {
        const key = `${e.pipelineId} ${cid}`
        if (seen.has(key)) continue
        seen.add(key)
        this.insert.run(e.pipelineId, cid)
      }
    }
  }

  /** Every root CID, each once. */
  all(): Set<string> {
    const out = new Set<string>()
    for (const cid of this.db.prepare('SELECT DISTINCT cid FROM gc_roots').pluck().iterate())
      if (typeof cid === 'string') out.add(cid)
    return out
  }
}
