import { afterEach, describe, expect, test } from 'vitest'
import {
  catalogue,
  MAX_MESSAGE_BYTES,
  MAX_REFS,
  parsePipelineDocument,
  type TaskImplementation,
} from '../../core/domain/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'
import { utilityTasks } from '../utility/index.ts'

let env: InProcess | undefined
afterEach(async () => {
  await env?.stop()
  env = undefined
})

/** NOOP that stores `count` blobs and lists them all in `refs`. */
const manyRefs = (count: number): TaskImplementation => ({
  kind: 'whole',
  async run(_input, _args, ctx) {
    const cids = []
    for (let i = 0; i < count; i++) cids.push((await ctx.store.put(Buffer.from(`ref ${i}`))).cid)
    return { output: cids[0]!, refs: cids }
  },
})

/** SLEEP whose stats alone encode to more than 1 MiB. */
const hugeStats: TaskImplementation = {
  kind: 'whole',
  async run(_input, _args, ctx) {
    const output = (await ctx.store.put(Buffer.from('out'))).cid
    const stats: Record<string, number> = {}
    for (let i = 0; i < 80_000; i++) stats[`counter-number-${i}`] = i
    return { output, refs: [], stats }
  },
}

async function runAlone(call: 'NOOP' | 'SLEEP', impl: TaskImplementation) {
  env = startInProcess({ implementations: { ...utilityTasks, [call]: impl } })
  const args = call === 'SLEEP' ? [1] : []
  const { id } = await env.monitor.submit(parsePipelineDocument([{ call, args }], catalogue))
  await env.waitForEnd([id])
  return { detail: env.queries.detail(id), events: env.queries.events(id, 0, 1000).events }
}

describe('a report that cannot be sent fails its unit, saying why', () => {
  test(`more than ${MAX_REFS} refs: the unit fails once, not retried, no lease expiry`, async () => {
    const { detail, events } = await runAlone('NOOP', manyRefs(MAX_REFS + 1))
    expect(detail.status).toBe('failed')
    expect(detail.tasks[0]?.error).toMatch(
      new RegExp(`lists ${MAX_REFS + 1} refs, more than the ${MAX_REFS}`),
    )
    expect(events.filter((e) => e.type === 'UnitFailed')).toHaveLength(1)
    expect(events.some((e) => e.type === 'UnitLeaseExpired')).toBe(false)
  })

  test(`${MAX_REFS} refs still go through`, async () => {
    const { detail } = await runAlone('NOOP', manyRefs(MAX_REFS))
    expect(detail.status).toBe('succeeded')
  })

  test('a report over 1 MiB encoded: the failure names its size and the limit', async () => {
    const { detail, events } = await runAlone('SLEEP', hugeStats)
    expect(detail.status).toBe('failed')
    const failed = events.find((e) => e.type === 'UnitFailed')
    expect(failed?.type === 'UnitFailed' && failed.data.retryable).toBe(false)
    const match = /report is (\d+) bytes encoded, over the (\d+)-byte message limit/.exec(
      detail.tasks[0]?.error ?? '',
    )
    expect(Number(match?.[1])).toBeGreaterThan(MAX_MESSAGE_BYTES)
    expect(Number(match?.[2])).toBe(MAX_MESSAGE_BYTES)
    expect(events.some((e) => e.type === 'UnitLeaseExpired')).toBe(false)
  })
})
