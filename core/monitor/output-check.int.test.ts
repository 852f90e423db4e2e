import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { catalogue, type Cid, parsePipelineDocument, type Store } from '../domain/index.ts'
import { createMemoryStore } from '../../transport/memory/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'

const envs: InProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const env of envs.splice(0)) await env.stop()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const spec = (doc: unknown) => parsePipelineDocument(doc, catalogue)

/**
 * The monitor's view of a real store where, once the gate is closed, the next `has` waits until
 * it opens (later calls pass): the only stand-in here, so that a store check can be caught in
 * the middle while other checks go on.
 */
function gatedStore(store: Store) {
  let open: () => void = () => {}
  let gate: Promise<void> | null = null
  const gated = {
    waiting: 0,
    close() {
      gate = new Promise<void>((resolve) => (open = resolve))
    },
    open() {
      gate = null
      open()
    },
    store: Object.assign(Object.create(store) as Store, {
      has: async (cid: Cid) => {
        if (gate && gated.waiting === 0) {
          gated.waiting++
          await gate
        }
        return store.has(cid)
      },
    }),
  }
  return gated
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 25))
  if (!predicate()) throw new Error(`timed out waiting for ${what}`)
}

describe('a success report is checked against the store outside the tick (SPEC §5)', () => {
  test('while an output is being checked for 3 lease times, another pipeline runs to the end and the lease never expires', async () => {
    const raw = createMemoryStore()
    const gate = gatedStore(raw)
    // The check is held for 3 lease times (the SLEEP below): a check that kept the lease running would lose it.
    const env = startInProcess({ store: gate.store, workers: 0, settings: { leaseMs: 1_000 } })
    envs.push(env)
    env.addWorker(undefined, 'w1', raw)
    gate.close()
    const big = await env.monitor.submit(
      spec({ tasks: [{ call: 'MAKE_DATASET', args: [200] }], cache: false }),
    )
    await until(() => gate.waiting > 0, 'the store check to begin')

    // The engine keeps ticking: a second pipeline is dispatched, reported and finished meanwhile.
    const small = await env.monitor.submit(spec({ tasks: [{ call: 'SLEEP', args: [3_000] }], cache: false }))
    await env.waitForEnd([small.id])
    expect(env.queries.detail(small.id).status).toBe('succeeded')
    expect(env.queries.detail(big.id).status).toBe('running')

    gate.open()
    await env.waitForEnd([big.id])
    const events = env.queries.events(big.id, 0, 1000).events
    expect(env.queries.detail(big.id).status).toBe('succeeded')
    expect(events.map((e) => e.type)).not.toContain('UnitLeaseExpired')
    expect(events.map((e) => e.type)).not.toContain('UnitFailed')
    // The verdict entered the log after the other pipeline's end: it was decided in a later tick.
    const smallEnd = env.queries.events(small.id, 0, 1000).events.at(-1)!
    const decided = events.find((e) => e.type === 'UnitSucceeded')!
    expect(smallEnd.type).toBe('PipelineSucceeded')
    expect(decided.seq).toBeGreaterThan(smallEnd.seq)
  })

  test('a monitor stopped mid-check recorded nothing of the report; after a restart the unit runs again and succeeds', async () => {
    const raw = createMemoryStore()
    const gate = gatedStore(raw)
    const dir = mkdtempSync(join(tmpdir(), 'banzai-check-'))
    dirs.push(dir)
    const first = startInProcess({ dir, store: gate.store, workers: 0, settings: { leaseMs: 1_000 } })
    first.addWorker(undefined, 'w1', raw)
    gate.close()
    const { id } = await first.monitor.submit(
      spec({ tasks: [{ call: 'MAKE_DATASET', args: [200] }], cache: false }),
    )
    await until(() => gate.waiting > 0, 'the store check to begin')
    await first.stop()
    gate.open() // the verdict reaches a stopped engine: dropped

    const second = startInProcess({ dir, store: raw, workers: 1, settings: { leaseMs: 1_000 } })
    envs.push(second)
    const before = second.queries.events(id, 0, 1000).events.map((e) => e.type)
    expect(before).not.toContain('UnitSucceeded')
    expect(before).not.toContain('UnitFailed')
    await second.waitForEnd([id])
    expect(second.queries.detail(id).status).toBe('succeeded')
    expect(second.queries.events(id, 0, 1000).events.filter((e) => e.type === 'UnitSucceeded')).toHaveLength(
      1,
    )
  })
})
