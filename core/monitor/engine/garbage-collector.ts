import type { Cid, OrderId, Store, StoredEvent, WorkerMessage } from '../../domain/index.ts'
import { cidsOfEvent, type GcRootsTable } from '../gc-roots-table.ts'
import { addDocumentRefs, type GcReport, statEach } from '../garbage-collection.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { MemoTable } from '../memo-table.ts'

/** What a collection through the monitor uses. */
export interface CollectorDeps {
  store: Store
  roots: GcRootsTable
  memo: MemoTable
  leases: LeaseTable
  /** Runs `work` inside the engine's mailbox, between ticks (serialized with every commit). */
  exclusive: <T>(work: () => Promise<T>) => Promise<T>
  /** How long to wait for the units in flight at the mark to end, ms. */
  drainTimeoutMs: number
}

/** Blobs removed per mailbox turn: the engine keeps ticking between batches. */
const SWEEP_BATCH = 1000

/**
 * Garbage collection that runs while the monitor runs (SPEC §4), in four steps:
 * 1. list the store (blobs put after this are never candidates);
 * 2. mark, between two ticks: the GC roots and memo tables, and the orders in flight;
 *    from then on every CID a committed event or a report names is protected too; marked and
 *    protected documents protect what they reference (read from them, SPEC §4);
 * 3. wait until every order in flight at the mark has ended, so any blob a running unit
 *    wrote is named by its report before anything is removed;
 * 4. sweep the unmarked, unprotected, unpinned candidates in batches, each between two ticks
 *    (a memo hit whose check, outside the ticks, spanned a removal is checked again).
 * Every step is linear in blobs plus rows.
 */
export class GarbageCollector {
  private protect: Set<string> | null = null
  private running: Promise<GcReport> | null = null

  constructor(private readonly deps: CollectorDeps) {}

  /** Protects the CIDs committed events name while a collection runs. */
  noteCommitted(events: readonly StoredEvent[]): void {
    if (!this.protect) return
    for (const e of events) for (const cid of cidsOfEvent(e)) this.protect.add(cid)
  }

  /** Protects the CIDs a success report names, before it is even checked. */
  noteReport(message: WorkerMessage): void {
    if (!this.protect || message.type !== 'OrderSucceeded') return
    this.protect.add(message.output)
    for (const ref of message.refs) this.protect.add(ref)
  }

  /** Runs one collection (a second caller while one runs shares its result). */
  collect(options: { maxBytes?: number } = {}): Promise<GcReport> {
    this.running ??= this.run(options).finally(() => {
      this.protect = null
      this.running = null
    })
    return this.running
  }

  private async run(options: { maxBytes?: number }): Promise<GcReport> {
    const { store } = this.deps
    const listed: Cid[] = []
    for await (const cid of store.list()) listed.push(cid)
    const { marked, inFlight } = await this.deps.exclusive(() => {
      this.protect = new Set()
      const out = this.deps.roots.all()
      for (const cid of this.deps.memo.allReferencedCids()) out.add(cid)
      return Promise.resolve({ marked: out, inFlight: this.deps.leases.orderIds() })
    })
    // What the marked documents reference (a manifest's items, a model's files): read outside the
    // mailbox, since documents never change.
    await addDocumentRefs(store, marked)
    await this.drain(inFlight)
    const walked = new Set<string>()
    const candidates: { cid: Cid; size: number }[] = []
    let total = 0
    let kept = 0
    let keptBytes = 0
    const stats = await statEach(store, listed)
    for (const [index, cid] of listed.entries()) {
      const stat = stats[index]
      if (!stat) continue
      total += stat.size
      if (marked.has(cid) || stat.pinned) {
        kept++
        keptBytes += stat.size
      } else candidates.push({ cid, size: stat.size })
    }
    let removed = 0
    let removedBytes = 0
    for (let i = 0; i < candidates.length; i += SWEEP_BATCH) {
      const batch = candidates.slice(i, i + SWEEP_BATCH)
      await this.deps.exclusive(async () => {
        // A document committed or reported since the mark protects what it references too.
        if (this.protect) await addDocumentRefs(store, this.protect, walked)
        const doomed: Cid[] = []
        for (const c of batch) {
          const isWanted =
            this.protect?.has(c.cid) === true ||
            (options.maxBytes !== undefined && total - removedBytes <= options.maxBytes)
          if (isWanted) {
            kept++
            keptBytes += c.size
            continue
          }
          doomed.push(c.cid)
          removed++
          removedBytes += c.size
        }
        await removeBlobs(store, doomed)
      })
    }
    return { referenced: marked.size, kept, removed, removedBytes, keptBytes }
  }

  /** Waits until none of `orderIds` is in flight any more (reported, lost or expired). */
  private async drain(orderIds: OrderId[]): Promise<void> {
    const end = Date.now() + this.deps.drainTimeoutMs
    while (orderIds.some((id) => this.deps.leases.has(id))) {
      if (Date.now() > end)
        throw new Error(
          `gc waited ${this.deps.drainTimeoutMs} ms for the units in flight to end; nothing was removed, try again`,
        )
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/** Removes blobs: in one pass where the store can (`deleteMany`), else one by one. */
async function removeBlobs(store: Store, cids: Cid[]): Promise<void> {
  if (cids.length === 0) return
  if (store.deleteMany) return store.deleteMany(cids)
  for (const cid of cids) await store.delete(cid)
}
