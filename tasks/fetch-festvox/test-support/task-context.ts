import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Cid, type DatasetManifest, type TaskContext, TaskOrder } from '../../../core/domain/index.ts'
import { readManifest } from '../../documents.ts'
import { MemoryStore } from './memory-store.ts'

/** A TaskContext over a MemoryStore and a fresh data folder; records progress and log lines. */
export interface TestContext extends TaskContext {
  store: MemoryStore
  progressCalls: { done: number; total: number; unit: string }[]
  logs: string[]
  controller: AbortController
}

/** Makes a context for one test; `allowedRoots` for file: URLs. */
export async function makeContext(
  options: { allowedRoots?: string[]; dataDir?: string; store?: MemoryStore } = {},
): Promise<TestContext> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'banzai-fetch-festvox-')))
  const controller = new AbortController()
  const progressCalls: TestContext['progressCalls'] = []
  const logs: string[] = []
  const line = (level: string) => (msg: string) => {
    logs.push(`${level} ${msg}`)
  }
  return {
    store: options.store ?? new MemoryStore(),
    signal: controller.signal,
    controller,
    progress: (done, total, unit) => progressCalls.push({ done, total, unit }),
    log: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    order: TaskOrder.parse({
      type: 'TaskOrder',
      v: 1,
      orderId: 'pipeline-1.0.0.1',
      pipelineId: 'pipeline-1',
      step: 0,
      shard: 0,
      attempt: 1,
      call: 'FETCH_FESTVOX',
      version: 1,
      args: [],
      input: null,
      deadline: '2030-01-01T00:00:00.000Z',
    }),
    settings: { dataDir, allowedRoots: options.allowedRoots ?? [], workerId: 'worker-1' },
    progressCalls,
    logs,
  }
}

/** Reads back the manifest a run produced. */
export async function readOutput(ctx: TestContext, output: Cid): Promise<DatasetManifest> {
  return readManifest(ctx.store, output)
}
