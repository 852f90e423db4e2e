import type { Cid } from '../../domain/index.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { WorkerRegistry } from '../worker-registry.ts'
import type { Tick } from './tick.ts'

/** Why dispatch chose a unit's worker (`UnitDispatched.reason`). */
export type DispatchReason = 'free' | 'locality'

/** Most outputs whose producing worker is remembered. */
export const MAX_REMEMBERED_OUTPUTS = 10_000

/** Which worker produced each recent output (bounded, oldest forgotten first): locality's memory. */
export class OutputProducers {
  private readonly byCid = new Map<string, string>()

  constructor(private readonly max = MAX_REMEMBERED_OUTPUTS) {}

  /** Remembers that `worker` produced `cid` (its node holds it). */
  remember(cid: Cid, worker: string): void {
    this.byCid.delete(cid)
    this.byCid.set(cid, worker)
    if (this.byCid.size > this.max) {
      const oldest = this.byCid.keys().next().value
      if (oldest !== undefined) this.byCid.delete(oldest)
    }
  }

  /** The worker that produced `cid`, if remembered. */
  producerOf(cid: Cid): string | undefined {
    return this.byCid.get(cid)
  }
}

/** What choosing a worker reads. */
export interface ChoiceDeps {
  workers: WorkerRegistry
  leases: LeaseTable
  producers: OutputProducers
  /** Prefer the worker whose node holds the input (IPFS mode: each worker has its own node). */
  locality: boolean
}

/** A worker's free slots, counting what this tick dispatched to it and released from it. */
function freeSlots(deps: ChoiceDeps, tick: Tick, id: string, slots: number): number {
  return (
    slots - deps.leases.inFlightFor(id) - (tick.dispatchedTo.get(id) ?? 0) + (tick.releasedFrom.get(id) ?? 0)
  )
}

/**
 * Chooses the worker for a unit on `lane` (SPEC §6): with locality on, the worker that produced
 * the unit's input if it has a free slot; else the admitted worker with the most free slots
 * (ties: the first by id). Null when no worker on the lane has a free slot: the unit waits.
 */
export function chooseWorker(
  deps: ChoiceDeps,
  tick: Tick,
  lane: string,
  input: Cid | null,
): { worker: string; reason: DispatchReason } | null {
  const serving = deps.workers.serving(lane)
  if (deps.locality && input) {
    const producer = deps.producers.producerOf(input)
    const local = producer ? serving.find((w) => w.id === producer) : undefined
    if (local && freeSlots(deps, tick, local.id, local.slots) > 0)
      return { worker: local.id, reason: 'locality' }
  }
  let best: { worker: string; free: number } | null = null
  for (const w of serving) {
    const free = freeSlots(deps, tick, w.id, w.slots)
    if (free > 0 && (!best || free > best.free)) best = { worker: w.id, free }
  }
  return best ? { worker: best.worker, reason: 'free' } : null
}
