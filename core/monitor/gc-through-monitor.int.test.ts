import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { catalogue, parsePipelineDocument, type Store } from '../domain/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'
import { cidsOfEvent } from './gc-roots-table.ts'

let env: InProcess | undefined
const dirs: string[] = []
afterEach(async () => {
  await env?.stop()
  env = undefined
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function startWithEmbeddedStore(workers = 2): Promise<{ env: InProcess; blocks: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'banzai-gc-'))
  dirs.push(dir)
  const store = await createEmbeddedStore({ dir: join(dir, 'store') })
  env = startInProcess({ dir, store, workers })
  return { env, blocks: join(dir, 'store', 'blocks') }
}

function bytesUnder(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size
  return total
}

const submit = async (e: InProcess, tasks: unknown[]) =>
  (await e.monitor.submit(parsePipelineDocument({ cache: false, tasks }, catalogue))).id

/** Every CID a pipeline's events name, and whether the store can read each. */
async function unreadable(e: InProcess, store: Store, id: string): Promise<string[]> {
  const missing: string[] = []
  for (const event of e.queries.events(id, 0, 10_000).events)
    for (const cid of cidsOfEvent(event)) if (!(await store.has(cid))) missing.push(`${event.type} ${cid}`)
  return missing
}

describe('garbage collection through the running monitor (SPEC §4)', () => {
  test('delete then gc frees the space; the deleted pipeline leaves the lists', async () => {
    const { env, blocks } = await startWithEmbeddedStore()
    const kept = await submit(env, [{ call: 'MAKE_DATASET', args: [5] }])
    const doomed = await submit(env, [
      { call: 'MAKE_DATASET', args: [40] },
      { call: 'ECHO_ITEMS', args: [7] },
    ])
    await env.waitForEnd([kept, doomed])
    expect(env.queries.detail(doomed).status).toBe('succeeded')
    const nothing = await env.monitor.collectGarbage()
    expect(nothing.removed).toBe(0)
    const before = bytesUnder(blocks)

    await env.monitor.deletePipeline(doomed)
    expect(() => env.queries.detail(doomed)).toThrow(/no pipeline/)
    expect(env.queries.list({ limit: 100 }).items.map((p) => p.id)).toEqual([kept])
    await expect(env.monitor.deletePipeline(doomed)).rejects.toThrow(/no pipeline/)
    const report = await env.monitor.collectGarbage()
    expect(report.removed).toBeGreaterThan(40)
    expect(bytesUnder(blocks)).toBeLessThan(before)
    expect(await unreadable(env, env.store, kept)).toEqual([])
    const events = env.log.readPipeline(doomed, 0, 1000)
    expect(events.at(-1)?.type).toBe('PipelineDeleted')
  })

  test('a live pipeline cannot be deleted', async () => {
    const { env } = await startWithEmbeddedStore()
    const id = await submit(env, [{ call: 'SLEEP', args: [2_000] }])
    await expect(env.monitor.deletePipeline(id)).rejects.toThrow(/still running/)
    await env.monitor.cancel(id)
  })

  test('50 pipelines running while gc runs: every CID a succeeded pipeline references stays readable', async () => {
    const { env } = await startWithEmbeddedStore(3)
    // Garbage that shares content with what runs next (same datasets): the dedup race GC must not lose;
    // and one dataset nothing later makes, so that something is surely removed.
    const old = await Promise.all(
      [3, 4, 5, 6, 7, 40].map((n) =>
        submit(env, [
          { call: 'MAKE_DATASET', args: [n] },
          { call: 'ECHO_ITEMS', args: [1] },
        ]),
      ),
    )
    await env.waitForEnd(old)
    for (const id of old) await env.monitor.deletePipeline(id)

    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        submit(env, [
          { call: 'MAKE_DATASET', args: [3 + (i % 10)] },
          { call: 'ECHO_ITEMS', args: [1 + (i % 3)] },
          { call: 'NOOP' },
        ]),
      ),
    )
    let collections = 0
    let removed = 0
    const ended = () =>
      ids.every((id) => ['succeeded', 'failed', 'cancelled'].includes(env.queries.detail(id).status))
    while (!ended()) {
      removed += (await env.monitor.collectGarbage()).removed
      collections++
    }
    removed += (await env.monitor.collectGarbage()).removed
    expect(collections).toBeGreaterThan(1)
    expect(removed).toBeGreaterThan(0) // the deleted pipelines' unshared blobs went
    expect(ids.map((id) => env.queries.detail(id).status)).toEqual(Array(50).fill('succeeded'))
    for (const id of ids) expect(await unreadable(env, env.store, id)).toEqual([])
  })
})
