import { afterEach, expect, test } from 'vitest'
import { catalogue, parsePipelineDocument } from '../domain/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'

let env: InProcess | undefined
afterEach(async () => {
  await env?.stop()
  env = undefined
})

const HOUR = 3_600_000

test('the wall clock jumping forwards and backwards expires no live lease, times out no step and delays no retry', async () => {
  let offset = 0
  const clock = { wall: () => Date.now() + offset, monotonic: () => performance.now() }
  env = startInProcess({
    clock,
    settings: { leaseMs: 400, retry: { maxAttempts: 3, backoffBaseMs: 100, backoffMaxMs: 100 } },
  })
  const spec = (doc: unknown) => parsePipelineDocument(doc, catalogue)
  const sleeper = await env.monitor.submit(
    spec({ cache: false, tasks: [{ call: 'SLEEP', args: [1_200], timeoutMs: 60_000 }] }),
  )
  await env.waitUntil(
    () => env!.queries.detail(sleeper.id).tasks[0]!.status === 'running',
    'the sleep to run',
  )
  offset = 2 * HOUR // forwards: past the step timeout and any lease, by wall time
  const flaky = await env.monitor.submit(
    spec({ cache: false, tasks: [{ call: 'FAIL', args: ['flaky', true] }] }),
  )
  await env.waitUntil(
    () => env!.queries.events(flaky.id, 0, 100).events.some((e) => e.type === 'UnitRetryScheduled'),
    'a retry to be scheduled',
  )
  offset = -2 * HOUR // backwards: the retry's notBefore is now hours ahead by wall time
  await env.waitForEnd([sleeper.id, flaky.id], 20_000)
  const sleep = env.queries.detail(sleeper.id)
  expect(sleep.status).toBe('succeeded')
  expect(sleep.tasks[0]!.attempt).toBe(1)
  const events = env.queries.events(sleeper.id, 0, 100).events
  expect(events.map((e) => e.type)).not.toContain('UnitLeaseExpired')
  expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b))
  // The flaky task used all its attempts (its retries were not held back by the backward jump).
  expect(env.queries.detail(flaky.id).tasks[0]!.attempt).toBe(3)
})
