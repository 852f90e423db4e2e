import { type Heartbeat, PROTOCOL_VERSION, type WorkerInfo } from '../domain/index.ts'

interface WorkerEntry {
  info: WorkerInfo
  /** Monotonic time of the last heartbeat, ms. */
  seenAt: number
  curveKey: string | undefined
}

/** Most workers the registry holds (SPEC §6: the registry is bounded); later ones are refused. */
export const MAX_WORKERS = 1_024
/** Most refused workers remembered for `GET /workers`. */
const MAX_REFUSED = 64

/** What a heartbeat did to the registry. */
export type BeatOutcome =
  | { kind: 'admitted'; endpoint: string; curveKey: string | undefined; isNew: boolean }
  | { kind: 'waiting' }
  | { kind: 'refused'; reason: string; isNew: boolean }

/**
 * Live workers from their heartbeats (memory only: a restarted monitor learns them again within
 * one heartbeat interval). A worker is admitted (the monitor connects to its endpoint and sends it
 * orders) when it speaks this protocol version and advertises an endpoint; the others are refused,
 * with the reason, and listed so.
 */
export class WorkerRegistry {
  private readonly workers = new Map<string, WorkerEntry>()
  private readonly refused = new Map<string, WorkerInfo>()

  constructor(private readonly timeoutMs: number) {}

  /** Records a heartbeat and says whether its worker is admitted, waiting for an endpoint, or refused. */
  beat(hb: Heartbeat, monotonicNow: number, wallNow: string): BeatOutcome {
    const info: WorkerInfo = {
      id: hb.workerId,
      host: hb.host,
      pid: hb.pid,
      lanes: hb.lanes,
      slots: hb.slots,
      inFlight: hb.inFlight,
      lastHeartbeat: wallNow,
      ...(hb.endpoint ? { endpoint: hb.endpoint } : {}),
    }
    const isKnown = this.workers.has(hb.workerId)
    const reason =
      hb.v !== PROTOCOL_VERSION
        ? `it speaks protocol v${hb.v}; this monitor speaks v${PROTOCOL_VERSION} (upgrade the worker)`
        : !isKnown && this.workers.size >= MAX_WORKERS
          ? `the registry is full (${MAX_WORKERS} workers)`
          : null
    if (reason) {
      const isNew = !this.refused.has(hb.workerId)
      if (isNew && this.refused.size >= MAX_REFUSED) {
        const oldest = this.refused.keys().next().value
        if (oldest !== undefined) this.refused.delete(oldest)
      }
      this.refused.set(hb.workerId, { ...info, slots: 0, refused: reason })
      return { kind: 'refused', reason, isNew }
    }
    this.refused.delete(hb.workerId)
    this.workers.set(hb.workerId, { info, seenAt: monotonicNow, curveKey: hb.curveKey })
    if (!hb.endpoint) return { kind: 'waiting' }
    return { kind: 'admitted', endpoint: hb.endpoint, curveKey: hb.curveKey, isNew: !isKnown }
  }

  /** Forgets workers that missed their heartbeats (silent); returns their ids. */
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

  /** Forgets a worker (its connection dropped); returns whether it was known. */
  remove(id: string): boolean {
    return this.workers.delete(id)
  }

  /** Admitted workers serving `lane` with slots, in id order: the candidates for its units. */
  serving(lane: string): WorkerInfo[] {
    const out: WorkerInfo[] = []
    for (const w of this.workers.values())
      if (w.info.endpoint && w.info.slots > 0 && w.info.lanes.includes(lane)) out.push(w.info)
    return out
  }

  /** The lanes some admitted worker with slots serves. */
  lanes(): Set<string> {
    const out = new Set<string>()
    for (const w of this.workers.values())
      if (w.info.endpoint && w.info.slots > 0) for (const lane of w.info.lanes) out.add(lane)
    return out
  }

  /** Live workers, then refused ones, sorted by id. */
  list(): WorkerInfo[] {
    const byId = (a: WorkerInfo, b: WorkerInfo) => a.id.localeCompare(b.id)
    return [
      ...[...this.workers.values()].map((w) => w.info).sort(byId),
      ...[...this.refused.values()].sort(byId),
    ]
  }

  /** Number of live workers. */
  size(): number {
    return this.workers.size
  }
}
