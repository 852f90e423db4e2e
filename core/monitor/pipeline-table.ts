import { z } from 'zod'
import type { PipelineState } from '../domain/index.ts'
import { BanzaiError, PipelineDetail } from '../domain/index.ts'
import { parseJsonColumn } from './sqlite/json-column.ts'
import type { Db } from './sqlite/open-database.ts'

/** A pipeline's snapshot row: its projection and, while it is live, its machine. */
export interface PipelineRecord {
  detail: PipelineDetail
  lastSeq: number
  machine: { value: string; context: PipelineState } | null
  idempotencyKey: string | null
}

/**
 * A live machine as its snapshot row keeps it. The context is checked only to be an object: its
 * shape is the pipeline machine's (core/domain/pipeline), which has no schema yet.
 */
const SnapshotMachine = z.object({
  value: z.string(),
  context: z.custom<PipelineState>((v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
})

/**
 * The shape of the snapshot rows this monitor writes (`pipelines.snapshot_version`). A row of
 * another version (older or newer) is not read as is: its pipeline is rebuilt from its events.
 */
export const SNAPSHOT_VERSION = 1

/** A snapshot row's parsed detail, or why it could not be read (its pipeline is then rebuilt). */
export type DetailRow = { id: string; detail: PipelineDetail } | { id: string; error: string }

/** Throws a `corrupt` error when a row's snapshot version is not the one this monitor writes. */
function checkVersion(id: string, version: number): void {
  if (version !== SNAPSHOT_VERSION)
    throw new BanzaiError(
      'corrupt',
      `pipelines row of ${id} has snapshot version ${version}; this monitor reads version ${SNAPSHOT_VERSION}`,
    )
}

/** Parses a row's detail (version checked), or says why it cannot be read. */
function readDetailRow(row: { id: string; detail: string; snapshot_version: number }): DetailRow {
  try {
    checkVersion(row.id, row.snapshot_version)
    return {
      id: row.id,
      detail: parseJsonColumn(PipelineDetail, row.detail, `pipelines.detail of ${row.id}`),
    }
  } catch (error) {
    return { id: row.id, error: error instanceof Error ? error.message : String(error) }
  }
}

/** Every this many events of a pipeline, its detail is checkpointed for fast `state?at=N`. */
export const CHECKPOINT_EVERY = 500

/** The snapshot tables: pipelines (projection + live machine) and detail checkpoints. */
export class PipelineTable {
  private readonly upsert
  private readonly one
  private readonly live
  private readonly byKey
  private readonly checkpoint
  private readonly nearestCheckpoint

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO pipelines (id, name, status, created_at, updated_at, last_seq, pipeline_seq, detail, machine, idempotency_key, retry_of, snapshot_version)
       VALUES (@id, @name, @status, @createdAt, @updatedAt, @lastSeq, @pipelineSeq, @detail, @machine, @idempotencyKey, @retryOf, ${SNAPSHOT_VERSION})
       ON CONFLICT (id) DO UPDATE SET status = @status, updated_at = @updatedAt, last_seq = @lastSeq,
         pipeline_seq = @pipelineSeq, detail = @detail, machine = @machine, snapshot_version = ${SNAPSHOT_VERSION}`,
    )
    this.one = db.prepare<
      [string],
      {
        detail: string
        last_seq: number
        machine: string | null
        idempotency_key: string | null
        snapshot_version: number
      }
    >('SELECT detail, last_seq, machine, idempotency_key, snapshot_version FROM pipelines WHERE id = ?')
    this.live = db.prepare<
      [],
      { id: string; detail: string; last_seq: number; machine: string; snapshot_version: number }
    >(
      'SELECT id, detail, last_seq, machine, snapshot_version FROM pipelines WHERE machine IS NOT NULL ORDER BY id',
    )
    this.byKey = db.prepare<[string], { id: string }>('SELECT id FROM pipelines WHERE idempotency_key = ?')
    this.checkpoint = db.prepare(
      'INSERT OR REPLACE INTO checkpoints (pipeline_id, pipeline_seq, detail) VALUES (?, ?, ?)',
    )
    this.nearestCheckpoint = db.prepare<[string, number], { pipeline_seq: number; detail: string }>(
      'SELECT pipeline_seq, detail FROM checkpoints WHERE pipeline_id = ? AND pipeline_seq <= ? ORDER BY pipeline_seq DESC LIMIT 1',
    )
  }

  /** Writes a pipeline's snapshot; call inside the tick's transaction. */
  save(
    detail: PipelineDetail,
    lastSeq: number,
    machine: PipelineRecord['machine'],
    idempotencyKey: string | null,
  ): void {
    this.upsert.run({
      id: detail.id,
      name: detail.name,
      status: detail.status,
      createdAt: detail.createdAt,
      updatedAt: detail.updatedAt,
      lastSeq,
      pipelineSeq: detail.pipelineSeq,
      detail: JSON.stringify(detail),
      machine: machine ? JSON.stringify(machine) : null,
      idempotencyKey,
      retryOf: detail.retryOf,
    })
  }

  /** Writes many snapshot rows in one transaction (restart: rows that lagged their events). */
  saveAll(rows: { detail: PipelineDetail; lastSeq: number; machine: PipelineRecord['machine'] }[]): void {
    this.db.transaction(() => {
      for (const r of rows) this.save(r.detail, r.lastSeq, r.machine, null)
    })()
  }

  /** Keeps a copy of a detail for fast `state?at=N` (every CHECKPOINT_EVERY events); inside the tick's transaction. */
  saveCheckpoint(detail: PipelineDetail): void {
    this.checkpoint.run(detail.id, detail.pipelineSeq, JSON.stringify(detail))
  }

  /** One pipeline's snapshot, or null; a row that cannot be read throws a `corrupt` error. */
  get(id: string): PipelineRecord | null {
    const row = this.one.get(id)
    if (!row) return null
    checkVersion(id, row.snapshot_version)
    return {
      detail: parseJsonColumn(PipelineDetail, row.detail, `pipelines.detail of ${id}`),
      lastSeq: row.last_seq,
      machine: row.machine
        ? parseJsonColumn(SnapshotMachine, row.machine, `pipelines.machine of ${id}`)
        : null,
      idempotencyKey: row.idempotency_key,
    }
  }

  /** The pipelines not yet final, with their machines: what a restart loads. */
  loadLive(): {
    id: string
    detail: PipelineDetail
    lastSeq: number
    machine: NonNullable<PipelineRecord['machine']>
  }[] {
    return this.live.all().map((r) => {
      checkVersion(r.id, r.snapshot_version)
      return {
        id: r.id,
        detail: parseJsonColumn(PipelineDetail, r.detail, `pipelines.detail of ${r.id}`),
        lastSeq: r.last_seq,
        machine: parseJsonColumn(SnapshotMachine, r.machine, `pipelines.machine of ${r.id}`),
      }
    })
  }

  /**
   * Like `loadLive`, but a row that does not parse is not fatal: its id is listed in `damaged`
   * (the caller rebuilds it from the pipeline's events).
   */
  loadLiveOrDamaged(): {
    rows: ReturnType<PipelineTable['loadLive']>
    damaged: { id: string; error: string }[]
  } {
    const rows: ReturnType<PipelineTable['loadLive']> = []
    const damaged: { id: string; error: string }[] = []
    for (const r of this.live.all()) {
      try {
        checkVersion(r.id, r.snapshot_version)
        rows.push({
          id: r.id,
          detail: parseJsonColumn(PipelineDetail, r.detail, `pipelines.detail of ${r.id}`),
          lastSeq: r.last_seq,
          machine: parseJsonColumn(SnapshotMachine, r.machine, `pipelines.machine of ${r.id}`),
        })
      } catch (error) {
        damaged.push({ id: r.id, error: error instanceof Error ? error.message : String(error) })
      }
    }
    return { rows, damaged }
  }

  /** The pipeline submitted earlier with this Idempotency-Key, if any. */
  findByIdempotencyKey(key: string): string | null {
    return this.byKey.get(key)?.id ?? null
  }

  /** The latest checkpoint at or before `pipelineSeq`. */
  checkpointAtOrBefore(id: string, pipelineSeq: number): PipelineDetail | null {
    const row = this.nearestCheckpoint.get(id, pipelineSeq)
    return row
      ? parseJsonColumn(PipelineDetail, row.detail, `checkpoints.detail of ${id} at ${row.pipeline_seq}`)
      : null
  }

  /**
   * A page of details, newest first; `after` is the last id of the previous page. A row that
   * cannot be read is listed with the reason instead (the caller rebuilds it from events).
   */
  listDetails(options: { status?: string; after?: string; limit: number }): {
    rows: DetailRow[]
    next: string | null
  } {
    const where: string[] = []
    const params: (string | number)[] = []
    if (options.status) {
      where.push('status = ?')
      params.push(options.status)
    }
    if (options.after) {
      where.push('id < ?')
      params.push(options.after)
    }
    const sql = `SELECT id, detail, snapshot_version FROM pipelines ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`
    const found = this.db
      .prepare<(string | number)[], { id: string; detail: string; snapshot_version: number }>(sql)
      .all(...params, options.limit + 1)
    const rows = found.slice(0, options.limit).map(readDetailRow)
    const next = found.length > options.limit ? (rows[rows.length - 1]?.id ?? null) : null
    return { rows, next }
  }

  /** Counts by status, for metrics. */
  countByStatus(): Record<string, number> {
    const rows = this.db
      .prepare<[], { status: string; n: number }>(
        'SELECT status, COUNT(*) AS n FROM pipelines GROUP BY status',
      )
      .all()
    return Object.fromEntries(rows.map((r) => [r.status, r.n]))
  }

  /** Every pipeline id (for garbage collection and integrity checks). */
  allIds(): string[] {
    return this.db
      .prepare<[], { id: string }>('SELECT id FROM pipelines ORDER BY id')
      .all()
      .map((r) => r.id)
  }
}
