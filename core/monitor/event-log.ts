import { eventDataJson, StoredEvent, ValidationError } from '../domain/index.ts'
import type { Db } from './sqlite/open-database.ts'

interface EventRow {
  seq: number
  pipeline_id: string
  pipeline_seq: number
  type: string
  at: string
  data: string
}

/** Parses a stored row back into an event, checking it against the domain schemas. */
function toEvent(row: EventRow): StoredEvent {
  const parsed = StoredEvent.safeParse({
    seq: row.seq,
    pipelineId: row.pipeline_id,
    pipelineSeq: row.pipeline_seq,
    at: row.at,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
  })
  if (!parsed.success)
    throw new ValidationError(
      `event ${row.seq} (${row.type}) does not match its schema: ${parsed.error.message}`,
    )
  return parsed.data
}

/** The append-only event log (SPEC §5): one row per event, global `seq`, per-pipeline `pipelineSeq`. */
export class EventLog {
  private readonly insert
  private readonly byPipeline
  private readonly byPipelineUpTo
  private readonly after
  private readonly last

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      'INSERT INTO events (seq, pipeline_id, pipeline_seq, type, at, data) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.byPipeline = db.prepare<[string, number, number], EventRow>(
      'SELECT * FROM events WHERE pipeline_id = ? AND pipeline_seq > ? ORDER BY pipeline_seq LIMIT ?',
    )
    this.byPipelineUpTo = db.prepare<[string, number, number], EventRow>(
      'SELECT * FROM events WHERE pipeline_id = ? AND pipeline_seq > ? AND pipeline_seq <= ? ORDER BY pipeline_seq',
    )
    this.after = db.prepare<[number, number], EventRow>(
      'SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    )
    this.last = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM events')
  }

  /** Writes events; call inside the tick's transaction. */
  append(events: readonly StoredEvent[]): void {
    for (const e of events)
      this.insert.run(e.seq, e.pipelineId, e.pipelineSeq, e.type, e.at, eventDataJson(e))
  }

  /** The highest committed seq, 0 for an empty log. */
  lastSeq(): number {
    return this.last.get()?.seq ?? 0
  }

  /** A page of one pipeline's events after `afterPipelineSeq`. */
  readPipeline(pipelineId: string, afterPipelineSeq = 0, limit = 1000): StoredEvent[] {
    return this.byPipeline.all(pipelineId, afterPipelineSeq, limit).map(toEvent)
  }

  /** One pipeline's events in (from, to]. */
  readPipelineRange(pipelineId: string, from: number, to: number): StoredEvent[] {
    return this.byPipelineUpTo.all(pipelineId, from, to).map(toEvent)
  }

  /** A page of the global log after `afterSeq`. */
  readAfter(afterSeq: number, limit = 1000): StoredEvent[] {
    return this.after.all(afterSeq, limit).map(toEvent)
  }

  /** Every event in seq order, page by page (for full replays and integrity checks). */
  *readAll(pageSize = 5000): Generator<StoredEvent> {
    let after = 0
    for (;;) {
      const page = this.readAfter(after, pageSize)
      if (page.length === 0) return
      yield* page
      after = page[page.length - 1]!.seq
    }
  }
}
