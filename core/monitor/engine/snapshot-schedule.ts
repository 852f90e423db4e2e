import type { PipelineDetail, PipelineId } from '../../domain/index.ts'
import type { Actor } from './actor.ts'

/** A running pipeline's snapshot row is rewritten once its last write is this old, ms. */
export const SNAPSHOT_EVERY_MS = 1_000
/** …or once this many of its committed events are not in its row (the tail a restart replays). */
export const SNAPSHOT_EVERY_EVENTS = 64

interface Written {
  pipelineSeq: number
  status: PipelineDetail['status']
  /** Monotonic ms of the write. */
  at: number
}

/**
 * When the snapshot rows of live pipelines are written (SPEC §5: restart is O(live pipelines + log
 * tail)). A row is written in the tick that submits its pipeline, changes its status or ends it, and
 * otherwise at most every SNAPSHOT_EVERY_MS or SNAPSHOT_EVERY_EVENTS events, by the tick that
 * commits; the events it lacks are in the log after its `pipeline_seq`, and a restart replays them.
 * Until a row catches up, reads take the committed detail kept here.
 */
export class SnapshotSchedule {
  private readonly written = new Map<PipelineId, Written>()
  private readonly committed = new Map<PipelineId, PipelineDetail>()
  private lastSweep = 0

  /** Whether the actor's row must be written by this tick (it exists, and something says so). */
  isDue(actor: Actor, now: number): boolean {
    const detail = actor.detail
    if (!detail) return false
    const last = this.written.get(actor.id)
    return (
      !last ||
      last.status !== detail.status ||
      actor.snapshot.context.status !== 'active' ||
      detail.pipelineSeq - last.pipelineSeq >= SNAPSHOT_EVERY_EVENTS ||
      now - last.at >= SNAPSHOT_EVERY_MS
    )
  }

  /**
   * Live pipelines not touched by this tick whose rows lag and were written SNAPSHOT_EVERY_MS ago
   * or more (looked for at most four times per period).
   */
  lagging(now: number): PipelineId[] {
    if (now - this.lastSweep < SNAPSHOT_EVERY_MS / 4) return []
    this.lastSweep = now
    const out: PipelineId[] = []
    for (const [id, detail] of this.committed) {
      const last = this.written.get(id)
      if (last && last.pipelineSeq < detail.pipelineSeq && now - last.at >= SNAPSHOT_EVERY_MS) out.push(id)
    }
    return out
  }

  /** Notes that a pipeline's row now holds `detail` (written at monotonic `now`). */
  wrote(detail: PipelineDetail, now: number): void {
    this.written.set(detail.id as PipelineId, {
      pipelineSeq: detail.pipelineSeq,
      status: detail.status,
      at: now,
    })
  }

  /** Notes a live pipeline's detail as committed (what reads answer until its row catches up). */
  commit(detail: PipelineDetail): void {
    this.committed.set(detail.id as PipelineId, detail)
  }

  /** The committed detail of a live pipeline whose row may lag, if any. */
  detail(id: string): PipelineDetail | undefined {
    return this.committed.get(id as PipelineId)
  }

  /** The live pipelines whose rows lag their committed details (written at shutdown). */
  lagged(): PipelineId[] {
    return [...this.committed]
      .filter(([id, detail]) => (this.written.get(id)?.pipelineSeq ?? 0) < detail.pipelineSeq)
      .map(([id]) => id)
  }

  /** Forgets a pipeline that ended (its final row was written with its last event). */
  forget(id: PipelineId): void {
    this.written.delete(id)
    this.committed.delete(id)
  }
}
