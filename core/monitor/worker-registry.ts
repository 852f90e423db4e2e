import type { Heartbeat, WorkerInfo } from '../domain/index.ts'

interface WorkerEntry {
  info: WorkerInfo
  /** Monotonic time of the last heartbeat, ms. */
  seenAt: number
}

/**
 * Live workers from their heartbeats (memory only: a restarted monitor learns them again
 * within one heartbeat interval). Dispatch credit per lane comes from here.
 */
export class WorkerRegistry {
  private readonly workers = new Map<string, WorkerEntry>()
  /** New workers turned away because the registry was full. */
  refused = 0

  /**
   * @param timeoutMs a worker is live while its last heartbeat is younger than this, ms
   * @param maxWorkers at most this many workers are registered (default 1024): a flood of
   *   forged heartbeats cannot grow memory or inflate credit past it
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly maxWorkers = 1024,
  ) {}

  /**
   * Records a heartbeat; returns true for a worker not seen before (or seen dead). A new worker
   * when the registry is full first evicts the silent ones; if none is silent it is refused
   * (`beat` returns false and `refused` counts it).
   */
  beat(hb: Heartbeat, monotonicNow: number, wallNow: string): boolean {
    const isNew = !this.workers.has(hb.workerId)
    if (isNew && this.workers.size >= this.maxWorkers) {
      this.expire(monotonicNow)
      if (this.workers.size >= this.maxWorkers) {
        this.refused++
        return false
      }
    }
    this.workers.set(hb.workerId, {
      info: {
        id: hb.workerId,
        host: hb.host,
        pid: hb.pid,
        lanes: hb.lanes,
        slots: hb.slots,
        inFlight: hb.inFlight,
        lastHeartbeat: wallNow,
      },
      seenAt: monotonicNow,
    })
    return isNew
  }

  /** Forgets workers whose heartbeats stopped; returns their ids. */
  expire(monotonicNow: number): string[] {
    const gone: string[] = []
    for (const [id, w] of this.workers) {
      if (monotonicNow - w.seenAt > this.timeoutMs) {
        this.workers.delete(id)
        gone.push(id)
      }
    }
    return gone
  }

  /** Total slots of live workers serving `lane`: the most units that may be in flight there. */
  capacity(lane: string): number {
    let slots = 0
    for (const w of this.workers.values()) if (w.info.lanes.includes(lane)) slots += w.info.slots
    return slots
  }

  /** Live workers, sorted by id. */
  list(): WorkerInfo[] {
    return [...this.workers.values()].map((w) => w.info).sort((a, b) => a.id.localeCompare(b.id))
  }

  /** Number of live workers. */
  size(): number {
    return this.workers.size
  }
}
