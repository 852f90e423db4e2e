import { type Cid, readDocumentRefs, type Store } from '../../domain/index.ts'

/** How many checked outputs are remembered (a bounded set: the oldest is forgotten first). */
const REMEMBERED = 4096

/**
 * The monitor's readability checks of outputs (SPEC §4, §5). A reported output that passed is
 * remembered: blobs never change, so it stays readable until something is deleted, and every
 * deletion made through this monitor's store (garbage collection) forgets them all; a repeated
 * output (NOOP's `{}`, a shard already seen) then costs no file reads. A memo hit is checked in
 * full every time: it is what must notice a blob deleted behind the monitor's back.
 */
export class ReadableBlobs {
  private readonly held = new Set<string>()
  private readonly found = new Set<string>()

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

  /**
   * Whether the store holds `output`, every CID its document references (read from it) and every
   * extra ref, locally: what a memo hit and a reported output need. A store that cannot answer
   * gives false.
   */
  isReadable(output: Cid, refs: readonly Cid[]): Promise<boolean> {
    return this.isHeld(output, refs, new Set())
  }

  private async isHeld(output: Cid, refs: readonly Cid[], known: ReadonlySet<string>): Promise<boolean> {
    try {
      if (!known.has(output)) {
        if (!(await this.store.has(output))) return false
        for (const ref of await readDocumentRefs(this.store, output))
          if (!(await this.store.has(ref))) return false
      }
      for (const ref of refs) if (!known.has(ref) && !(await this.store.has(ref))) return false
      return true
    } catch {
      return false // a store that cannot answer (an IPFS node down) gives no hit: the step runs
    }
  }

  /** Whether `output` and every ref can be found through the store (network included) within `timeoutMs` each. */
  private async isFound(output: Cid, refs: readonly Cid[], timeoutMs: number): Promise<boolean> {
    const find = this.store.find?.bind(this.store)
    if (!find) return false
    try {
      for (const cid of [output, ...refs]) {
        if (this.found.has(cid) || this.held.has(cid)) continue
        if (!(await find(cid, timeoutMs))) return false
        remember(this.found, cid)
      }
      return true
    } catch {
      return false
    }
  }

  /**
   * Whether a reported output counts: a local store must hold it and what it references; a store
   * that reaches peers (IPFS mode) must find the output and its refs within `findTimeoutMs`, without
   * fetching every item a manifest names.
   */
  async isReported(output: Cid, refs: readonly Cid[], findTimeoutMs: number): Promise<boolean> {
    if (this.store.find) return this.isFound(output, refs, findTimeoutMs)
    if (!(await this.isHeld(output, refs, this.held))) return false
    remember(this.held, output)
    return true
  }

  /** Forgets every output remembered (a blob was deleted). */
  forget(): void {
    this.held.clear()
    this.found.clear()
  }
}

function remember(set: Set<string>, cid: Cid): void {
  if (set.size >= REMEMBERED) set.delete(set.values().next().value!)
  set.add(cid)
}
