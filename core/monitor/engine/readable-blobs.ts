import type { Cid, Store } from '../../domain/index.ts'

/** How many checked CIDs are remembered (a bounded set: the oldest is forgotten first). */
const REMEMBERED = 4096

/**
 * The reported outputs the monitor has already found readable (SPEC §4, §5). Blobs never change,
 * so a checked output stays readable until something is deleted, and every deletion made through
 * this monitor's store (garbage collection) forgets them all; a repeated output (NOOP's `{}`, a
 * shard already seen) is then decided in the tick that receives it, with no store check at all.
 * A memo hit is checked in full every time: it is what must notice a blob deleted behind the
 * monitor's back (it runs outside the tick: engine/memo-check.ts).
 */
export class ReadableBlobs {
  private readonly known = new Set<string>()
  /** Deletions made through this monitor's store so far (a check that spans one is stale). */
  deletions = 0

  constructor(private readonly store: Store) {}

  /** The store to hand on: the same store, whose deletions forget what was remembered. */
  forgetfulStore(): Store {
    const store = this.store
    const forget = (): void => this.forget()
    return {
      put: (bytes) => store.put(bytes),
      get: (cid, range) => store.get(cid, range),
      has: (cid) => store.has(cid),
      ...(store.find ? { find: (cid: Cid, timeoutMs: number) => store.find!(cid, timeoutMs) } : {}),
      stat: (cid) => store.stat(cid),
      pin: (cid) => store.pin(cid),
      unpin: (cid) => store.unpin(cid),
      list: () => store.list(),
      delete: (cid) => {
        forget()
        return store.delete(cid)
      },
      ...(store.deleteMany
        ? {
            deleteMany: (cids: readonly Cid[]) => {
              forget()
              return store.deleteMany!(cids)
            },
          }
        : {}),
      flush: () => store.flush(),
      close: () => store.close(),
    }
  }

  /** Whether `output` and every ref passed a check since the last deletion (no store question asked). */
  isKnown(output: Cid, refs: readonly Cid[]): boolean {
    return this.known.has(output) && refs.every((ref) => this.known.has(ref))
  }

  /** Remembers an output (and its extra refs) that passed a full check. */
  remember(output: Cid, refs: readonly Cid[]): void {
    for (const cid of [output, ...refs]) {
      this.known.delete(cid)
      if (this.known.size >= REMEMBERED) this.known.delete(this.known.values().next().value!)
      this.known.add(cid)
    }
  }

  /** Forgets every output remembered (a blob was deleted). */
  forget(): void {
    this.deletions++
    this.known.clear()
  }
}
