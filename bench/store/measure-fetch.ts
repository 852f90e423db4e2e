import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  argsSchema,
  declarations,
  makeOrderId,
  PipelineId,
  PROTOCOL_VERSION,
  type TaskContext,
  TaskOrder,
} from '../../core/domain/index.ts'
import { fetchFestvox } from '../../tasks/fetch-festvox/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'

/** What one FETCH_FESTVOX run cost. */
export interface FetchFigures {
  zips: number
  zipBytes: number
  items: number
  wallSeconds: number
  cpuSeconds: number
  /** Zip MB (10^6 bytes) per wall second. */
  mbPerSecond: number
  /** Longest time the event loop was held (ms): bounds how late a heartbeat can be. */
  maxLoopDelayMs: number
}

/** A TaskContext as the worker host builds it, on a batch-synced embedded store in `dataDir`. */
async function makeContext(dataDir: string, zips: string[]): Promise<TaskContext> {
  const unit = { pipelineId: PipelineId.parse('bench-1'), step: 0, shard: 0, attempt: 1 }
  return {
    store: await createEmbeddedStore({ dir: join(dataDir, 'store'), sync: 'batch' }),
    signal: new AbortController().signal,
    progress: () => {},
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    order: TaskOrder.parse({
      type: 'TaskOrder',
      v: PROTOCOL_VERSION,
      orderId: makeOrderId(unit),
      ...unit,
      call: 'FETCH_FESTVOX',
      version: 1,
      args: zips.map((z) => pathToFileURL(z).href),
      input: null,
      deadline: '2030-01-01T00:00:00.000Z',
    }),
    settings: { dataDir, allowedRoots: [...new Set(zips.map((z) => join(z, '..')))], workerId: 'bench' },
  }
}

/**
 * Runs FETCH_FESTVOX over local zips (file: URLs) into a fresh data folder, as one worker
 * would (store flushed before the report), and measures it. `zipBytes` is their total size.
 */
export async function measureFetch(zips: string[], zipBytes: number): Promise<FetchFigures> {
  if (fetchFestvox.kind !== 'whole') throw new Error('FETCH_FESTVOX is a whole-input task')
  const dataDir = await mkdtemp(join(tmpdir(), 'banzai-bench-fetch-'))
  try {
    const ctx = await makeContext(dataDir, zips)
    let maxLoopDelayMs = 0
    let last = performance.now()
    const probe = setInterval(() => {
      const now = performance.now()
      maxLoopDelayMs = Math.max(maxLoopDelayMs, now - last - 10)
      last = now
    }, 10)
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const result = await fetchFestvox.run(
      null,
      argsSchema(declarations.FETCH_FESTVOX).parse(ctx.order.args),
      ctx,
    )
    await ctx.store.flush()
    const wallSeconds = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(cpu0)
    clearInterval(probe)
    await ctx.store.close()
    return {
      zips: zips.length,
      zipBytes,
      items: result.stats?.items ?? 0,
      wallSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      mbPerSecond: zipBytes / 1e6 / wallSeconds,
      maxLoopDelayMs,
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}
