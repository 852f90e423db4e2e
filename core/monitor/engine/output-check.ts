import {
  type Cid,
  manifestRefs,
  type OrderId,
  type OrderSucceeded,
  readDocumentRefs,
  type Store,
} from '../../domain/index.ts'
import type { ReadManifest } from './manifest-cache.ts'
import { yieldToLoop } from './yield-to-loop.ts'

/** CIDs asked about at once; between two such batches the check yields to the event loop. */
const CHECK_BATCH = 64

/** How long the monitor waits for a store that asks the network (IPFS) to find a reported blob, ms. */
const FIND_TIMEOUT_MS = 5_000

/**
 * Whether `isThere` holds for every CID, asked CHECK_BATCH at a time with a yield between
 * batches, so that checking a 20k-item manifest never holds the event loop.
 */
async function isEveryOne(cids: readonly Cid[], isThere: (cid: Cid) => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < cids.length; i += CHECK_BATCH) {
    const answers = await Promise.all(cids.slice(i, i + CHECK_BATCH).map(isThere))
    if (answers.includes(false)) return false
    if (i + CHECK_BATCH < cids.length) await yieldToLoop()
  }
  return true
}

/**
 * The CIDs a document references (SPEC §3). A dataset manifest is read through `readManifest`
 * (the engine's cache, checked a slice at a time), so that the step it feeds finds it parsed;
 * any other document is read as it is.
 */
function readRefs(store: Store, cid: Cid, readManifest?: ReadManifest): Promise<Cid[]> {
  if (!readManifest) return readDocumentRefs(store, cid)
  return readManifest(cid).then(manifestRefs, () => readDocumentRefs(store, cid))
}

/**
 * Whether the store still holds an output, every CID the output document references (read from
 * it) and every extra ref: a memo hit or a success report counts only then (SPEC §4, §5).
 */
export async function isReadable(
  store: Store,
  output: Cid,
  refs: readonly Cid[],
  readManifest?: ReadManifest,
): Promise<boolean> {
  try {
    if (!(await store.has(output))) return false
    const has = (cid: Cid): Promise<boolean> => store.has(cid)
    const referenced = await readRefs(store, output, readManifest)
    return (await isEveryOne(referenced, has)) && (await isEveryOne(refs, has))
  } catch {
    return false // a store that cannot answer (an IPFS node down) gives no hit: the step runs
  }
}

/**
 * Whether a reported output can be read. A local store must hold it and what it references; a
 * store that reaches peers (IPFS mode: the output may be on the worker's own node) must find the
 * output and its refs within FIND_TIMEOUT_MS, without fetching every item a manifest names.
 */
export async function isReportedReadable(
  store: Store,
  output: Cid,
  refs: readonly Cid[],
  readManifest?: ReadManifest,
): Promise<boolean> {
  const find = store.find?.bind(store)
  if (!find) return isReadable(store, output, refs, readManifest)
  try {
    return await isEveryOne([output, ...refs], (cid) => find(cid, FIND_TIMEOUT_MS))
  } catch {
    return false
  }
}

/**
 * The checks of success reports under way, run outside the engine's ticks (SPEC §5: an
 * `OrderSucceeded` counts only if its output can be read). Each verdict goes back to the engine
 * as a mailbox input, and the tick that handles it records the decision (`UnitSucceeded` or
 * `UnitFailed`), so the decision is in the log and replays without any check. Nothing of a
 * check is kept: after a restart the worker re-sends its unacknowledged report and it is
 * checked again.
 */
export class OutputChecks {
  private readonly running = new Set<OrderId>()

  /** `onVerdict` hands a verdict to the engine (a mailbox input); `readManifest` is the engine's cache. */
  constructor(
    private readonly store: Store,
    private readonly onVerdict: (message: OrderSucceeded, readable: boolean) => void,
    private readonly readManifest?: ReadManifest,
  ) {}

  /** Starts checking a report, unless a copy of it is being checked already (a re-send). */
  begin(message: OrderSucceeded): void {
    if (this.running.has(message.orderId)) return
    this.running.add(message.orderId)
    void isReportedReadable(this.store, message.output, message.refs, this.readManifest)
      .catch(() => false)
      .then((readable) => {
        this.running.delete(message.orderId)
        this.onVerdict(message, readable)
      })
  }

  /** Whether a report of this order is being checked. */
  isChecking(orderId: OrderId): boolean {
    return this.running.has(orderId)
  }

  /** Reports being checked now. */
  size(): number {
    return this.running.size
  }
}
