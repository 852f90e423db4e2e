import { benchTaskContext } from '../support/task-context.ts'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { argsSchema, declarations, type TaskContext } from '../../core/domain/index.ts'
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
  const store = await createEmbeddedStore({ dir: join(dataDir, 'store'), sync: 'batch' })
  const args = zips.map((z) => pathToFileURL(z).href)
  return benchTaskContext(
    store,
    { call: 'FETCH_FESTVOX', version: 1, args, input: null },
    { dataDir, allowedRoots: [...new Set(zips.map((z) => join(z, '..')))] },
  )
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
    const urls = argsSchema(declarations.FETCH_FESTVOX).parse(ctx.order.args)
    const result = await fetchFestvox.run(null, urls, ctx)
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
