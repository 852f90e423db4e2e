import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import {
  asCid,
  type BlobStat,
  type ByteSource,
  type Cid,
  NotFoundError,
  type PutResult,
  type Store,
  type TaskContext,
  TaskOrder,
} from '../../core/domain/index.ts'

/** An in-memory Store for task tests: CIDv1 raw sha2-256 of the whole blob, any size. */
export class MemoryStore implements Store {
  readonly blobs = new Map<Cid, Uint8Array>()

  async put(bytes: ByteSource): Promise<PutResult> {
    const chunks: Uint8Array[] = []
    if (bytes instanceof Uint8Array) chunks.push(bytes)
    else for await (const chunk of bytes) chunks.push(chunk)
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
    let offset = 0
    for (const chunk of chunks) {
      all.set(chunk, offset)
      offset += chunk.length
    }
    const cid = asCid(CID.createV1(raw.code, await sha256.digest(all)).toString())
    this.blobs.set(cid, all)
    return { cid, size: all.length }
  }

  async *get(cid: Cid, range?: { offset: number; length?: number }): AsyncIterable<Uint8Array> {
    const blob = this.blobs.get(cid)
    if (blob === undefined) throw new NotFoundError(`no blob ${cid}`)
    const start = range?.offset ?? 0
    const end = range?.length === undefined ? blob.length : start + range.length
    // Several chunks, as a real store streams them.
    for (let at = start; at < end; at += 65_536) yield blob.slice(at, Math.min(end, at + 65_536))
  }

  async has(cid: Cid): Promise<boolean> {
    return this.blobs.has(cid)
  }

  async stat(cid: Cid): Promise<BlobStat | null> {
    const blob = this.blobs.get(cid)
    return blob === undefined ? null : { cid, size: blob.length, pinned: false }
  }

  async pin(): Promise<void> {}
  async unpin(): Promise<void> {}

  async *list(): AsyncIterable<Cid> {
    yield* this.blobs.keys()
  }

  async delete(cid: Cid): Promise<void> {
    this.blobs.delete(cid)
  }

  async close(): Promise<void> {}
}

/** A TaskContext over a MemoryStore that records progress calls and log lines. */
export interface TestContext extends TaskContext {
  store: MemoryStore
  progressCalls: { done: number; total: number; unit: string }[]
  logs: string[]
  controller: AbortController
}

/** Makes a context for one test of task `call`. */
export function makeTestContext(call: string, args: unknown[] = []): TestContext {
  const controller = new AbortController()
  const progressCalls: TestContext['progressCalls'] = []
  const logs: string[] = []
  const line = (level: string) => (msg: string) => void logs.push(`${level} ${msg}`)
  return {
    store: new MemoryStore(),
    signal: controller.signal,
    controller,
    progress: (done, total, unit) => void progressCalls.push({ done, total, unit }),
    log: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    order: TaskOrder.parse({
      type: 'TaskOrder',
      v: 1,
      orderId: 'pipeline-1.0.0.1',
      pipelineId: 'pipeline-1',
      step: 0,
      shard: 0,
      attempt: 1,
      call,
      version: 1,
      args,
      input: null,
      deadline: '2030-01-01T00:00:00.000Z',
    }),
    settings: { dataDir: '.banzai-test', allowedRoots: [], workerId: 'worker-1' },
    progressCalls,
    logs,
  }
}
