import type {
  OrderId,
  PipelineDetail,
  PipelineId,
  PipelineSnapshot,
  StoredEvent,
} from '../../domain/index.ts'
import type { Actor } from './actor.ts'
import { type Clock, isoNow } from './clock.ts'

interface SavedActor {
  actor: Actor | undefined
  snapshot: PipelineSnapshot | undefined
  detail: PipelineDetail | null
  lastSeq: number
}

/** How long a tick that can wait stays open for more inputs before it commits anyway, ms. */
export const OPEN_TICK_MS = 10

/**
 * One tick of the engine: the events it stages (committed in one transaction), the writes
 * that go with them, and what is sent only after the commit. If the commit fails, every
 * touched actor is put back as it was.
 */
export class Tick {
  readonly events: StoredEvent[] = []
  /** Writes committed in the same transaction as the events (memo, logs). */
  readonly writes: (() => void)[] = []
  /** Sends and lease changes carried out after the commit. */
  readonly afterCommit: (() => void)[] = []
  /** Final reports to acknowledge once committed. */
  readonly acks = new Set<OrderId>()
  /** Units dispatched this tick, per lane (credit used before the leases exist). */
  readonly dispatchedOn = new Map<string, number>()
  /** Leases released this tick, per lane (credit freed before the leases go). */
  readonly releasedOn = new Map<string, number>()
  /** Units dispatched this tick, per worker (its slots used before the leases exist). */
  readonly dispatchedTo = new Map<string, number>()
  /** Leases released this tick, per worker (its slots freed before the leases go). */
  readonly releasedFrom = new Map<string, number>()
  /** Pipelines that reached a final state. */
  readonly finished = new Set<PipelineId>()
  private readonly saved = new Map<PipelineId, SavedActor>()
  private atIso: string | null = null

  /** The time of this tick's events (ISO 8601): the clock is read once per tick, the commit unit. */
  at(clock: Clock): string {
    return (this.atIso ??= isoNow(clock))
  }

  /** Remembers an actor as it was before this tick first changed it. */
  touch(id: PipelineId, actor: Actor | undefined): void {
    if (this.saved.has(id)) return
    this.saved.set(id, {
      actor,
      snapshot: actor?.snapshot,
      detail: actor?.detail ?? null,
      lastSeq: actor?.lastSeq ?? 0,
    })
  }

  /**
   * Whether this tick may stay open for the next batch instead of committing now: it has events,
   * but nothing waits on its commit (no send, ack, request, ended pipeline or freed credit), as
   * when it holds only `UnitStarted`/`UnitProgressed`. A quick unit's success then commits with
   * its start: one fsync per step instead of two. Events still commit before anything they allow.
   */
  canWait(): boolean {
    return (
      this.events.length > 0 &&
      this.events.length < 1000 &&
      this.afterCommit.length === 0 &&
      this.acks.size === 0 &&
      this.finished.size === 0 &&
      this.releasedOn.size === 0
    )
  }

  /** Carries this open tick into the next batch: its later events read the clock again. */
  carry(): Tick {
    this.atIso = null
    return this
  }

  /** The pipelines this tick changed. */
  touched(): PipelineId[] {
    return [...this.saved.keys()]
  }

  /** Puts every touched actor back as it was (the commit failed). */
  rollback(actors: Map<PipelineId, Actor>): void {
    for (const [id, saved] of this.saved) {
      if (!saved.actor || !saved.snapshot) {
        actors.delete(id)
        continue
      }
      saved.actor.snapshot = saved.snapshot
      saved.actor.detail = saved.detail
      saved.actor.lastSeq = saved.lastSeq
      actors.set(id, saved.actor)
    }
  }

  /** Counts one more on a per-lane counter. */
  static bump(map: Map<string, number>, lane: string): void {
    map.set(lane, (map.get(lane) ?? 0) + 1)
  }
}
