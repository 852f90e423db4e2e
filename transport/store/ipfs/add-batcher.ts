import type { KuboRPCClient } from 'kubo-rpc-client'
import { BanzaiError, type Cid, asCid } from '../../../core/domain/index.ts'
import { IPFS_ADD_OPTIONS } from '../cid-params.ts'

/** Blobs added together in one `add` request at most. */
const BATCH_ITEMS = 32
/** Bytes added together in one request at most: 4 MiB. */
const BATCH_BYTES = 4 * 1024 * 1024

interface Waiting {
  bytes: Uint8Array
  resolve(cid: Cid): void
  reject(error: unknown): void
}

/**
 * Adds small blobs to an IPFS node several at a time: the puts made while one batch is on its
 * way (or in the same turn of the event loop) go together in one multi-file `add` request,
 * each file added and pinned on its own (`pin: true`, no wrapping folder), so each gets the CID
 * of a single `ipfs add`. `add` resolves with a blob's CID once the node has answered for it.
 */
export class AddBatcher {
  private waiting: Waiting[] = []
  private running: Promise<void> | null = null

  constructor(private readonly ipfs: KuboRPCClient) {}

  /** Adds and pins one blob (a few KiB to a MiB); resolves with its CID. */
  add(bytes: Uint8Array): Promise<Cid> {
    return new Promise<Cid>((resolve, reject) => {
      this.waiting.push({ bytes, resolve, reject })
      this.kick()
    })
  }

  /** Resolves once every blob handed to `add` so far has been answered for. */
  async drain(): Promise<void> {
    while (this.running !== null) await this.running
  }

  private kick(): void {
    if (this.running !== null) return
    // One turn of the event loop first, so that puts started together go together.
    this.running = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.sendAll())
  }

  private async sendAll(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch: Waiting[] = []
      let bytes = 0
      while (
        this.waiting.length > 0 &&
        batch.length < BATCH_ITEMS &&
        (batch.length === 0 || bytes < BATCH_BYTES)
      ) {
        const next = this.waiting.shift()!
        bytes += next.bytes.byteLength
        batch.push(next)
      }
      await this.send(batch)
    }
    this.running = null
  }

  private async send(batch: Waiting[]): Promise<void> {
    try {
      const cids = new Map<string, Cid>()
      const files = batch.map((w, i) => ({ path: `b${i}`, content: w.bytes }))
      for await (const added of this.ipfs.addAll(files, {
        ...IPFS_ADD_OPTIONS,
        pin: true,
        wrapWithDirectory: false,
      }))
        cids.set(added.path, asCid(added.cid.toV1().toString()))
      for (const [i, w] of batch.entries()) {
        const cid = cids.get(`b${i}`)
        if (cid === undefined)
          w.reject(new BanzaiError('unavailable', `the IPFS node did not answer for blob ${i} of a batch`))
        else w.resolve(cid)
      }
    } catch (error) {
      for (const w of batch) w.reject(error)
    }
  }
}
