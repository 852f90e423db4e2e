import { describe, expect, test } from 'vitest'
import type { Cid } from '../cid.ts'
import type { DomainEvent } from '../events.ts'
import { makeOrderId, type OrderId, type PipelineId } from '../ids.ts'
import type { OrderReport } from '../messages.ts'
import { decideReport, decideTimeouts, readyUnits } from './decide.ts'
import { createPipeline, type MachineStep, type PipelineSnapshot, stepPipeline } from './machine.ts'
import { DEFAULT_RETRY_POLICY, type PipelineEffect } from './state.ts'

const id = 'p1' as PipelineId
const T0 = '2026-01-01T00:00:00.000Z'
const cid = (n: number) => `bafkreig${String(n).padStart(52, 'a')}` as Cid
const order = (step: number, shard: number, attempt: number): OrderId =>
  makeOrderId({ pipelineId: id, step, shard, attempt })
const task = (call: string) => ({ call, args: [], version: 1, lane: 'default', timeoutMs: 60_000 })
const submitted = (calls: string[]) => ({ name: 't', tasks: calls.map(task), labels: {}, cache: true })

/** given: a pipeline and the events already logged. */
function given(calls: string[], ...events: DomainEvent[]): PipelineSnapshot {
  let snapshot = createPipeline({ id, submitted: submitted(calls), policy: DEFAULT_RETRY_POLICY })
  for (const event of [{ type: 'PipelineSubmitted', data: submitted(calls) } as DomainEvent, ...events]) {
    snapshot = stepPipeline(snapshot, event, T0).snapshot
  }
  return snapshot
}

/** when: one more event, logged at T0. */
function when(snapshot: PipelineSnapshot, event: DomainEvent): MachineStep {
  return stepPipeline(snapshot, event, T0)
}

/** then: the events that follow and the effects that need the world (none unless listed). */
function then(step: MachineStep, expected: { events?: DomainEvent[]; effects?: PipelineEffect[] }): void {
  expect({ events: step.events, effects: step.effects }).toEqual({
    events: expected.events ?? [],
    effects: expected.effects ?? [],
  })
}

const retryScheduled = (step: number, shard: number, attempt: number, notBefore: string): DomainEvent => ({
  type: 'UnitRetryScheduled',
  data: { step, shard, attempt, notBefore },
})

const started = (step: number, shards = 1): DomainEvent =>
  shards === 1
    ? { type: 'StepStarted', data: { step, input: null, shards: 1, memoKey: `k${step}` } }
    : {
        type: 'StepStarted',
        data: { step, input: cid(9), shards, memoKey: `k${step}`, itemCount: shards * 10, shardSize: 10 },
      }
const dispatched = (step: number, shard = 0, attempt = 1): DomainEvent => ({
  type: 'UnitDispatched',
  data: { step, shard, attempt, orderId: order(step, shard, attempt), lane: 'default' },
})
const unitStarted = (step: number, shard = 0, attempt = 1): DomainEvent => ({
  type: 'UnitStarted',
  data: { step, shard, attempt, orderId: order(step, shard, attempt), worker: 'w1' },
})
const unitSucceeded = (step: number, shard = 0, attempt = 1): DomainEvent => ({
  type: 'UnitSucceeded',
  data: { step, shard, attempt, output: cid(step * 100 + shard), refs: [], stats: {} },
})
const unitFailed = (step: number, retryable: boolean, shard = 0, attempt = 1): DomainEvent => ({
  type: 'UnitFailed',
  data: { step, shard, attempt, error: 'boom', retryable },
})
const running = (step: number, shard = 0, attempt = 1) => [
  dispatched(step, shard, attempt),
  unitStarted(step, shard, attempt),
]

describe('pipeline machine', () => {
  test('a submitted pipeline starts its first step with no input', () => {
    const s = createPipeline({ id, submitted: submitted(['NOOP']), policy: DEFAULT_RETRY_POLICY })
    then(when(s, { type: 'PipelineSubmitted', data: submitted(['NOOP']) }), {
      effects: [{ type: 'StartStep', pipelineId: id, step: 0, input: null }],
    })
  })

  test('a dispatched unit waits for its worker; a succeeded unit completes its step; the next step gets the output', () => {
    const s = given(['NOOP', 'NOOP'], started(0))
    const sent = when(s, dispatched(0))
    then(sent, {}) // dispatch, which decided the order, sends it after the commit
    expect(sent.snapshot.context.steps[0]!.units[0]!.status).toBe('dispatched')
    const s2 = given(['NOOP', 'NOOP'], started(0), ...running(0))
    then(when(s2, unitSucceeded(0)), { effects: [{ type: 'CompleteStep', pipelineId: id, step: 0 }] })
    const s3 = given(['NOOP', 'NOOP'], started(0), ...running(0), unitSucceeded(0))
    then(when(s3, { type: 'StepSucceeded', data: { step: 0, output: cid(1), refs: [] } }), {
      effects: [{ type: 'StartStep', pipelineId: id, step: 1, input: cid(1) }],
    })
  })

  test('the last step succeeding finishes the pipeline, which is then final', () => {
    const s = given(['NOOP'], started(0), ...running(0), unitSucceeded(0))
    const r = when(s, { type: 'StepSucceeded', data: { step: 0, output: cid(1), refs: [] } })
    then(r, { events: [{ type: 'PipelineSucceeded', data: { output: cid(1) } }] })
    const end = when(r.snapshot, { type: 'PipelineSucceeded', data: { output: cid(1) } })
    expect(end.snapshot.status).toBe('done')
    expect(end.snapshot.value).toBe('succeeded')
  })

  test('a retryable failure schedules the next attempt with exponential backoff from its time', () => {
    const s = given(['NOOP'], started(0), ...running(0))
    then(when(s, unitFailed(0, true)), { events: [retryScheduled(0, 0, 2, '2026-01-01T00:00:00.500Z')] })
    const later = stepPipeline(s, unitFailed(0, true), '2026-01-01T00:10:00.000Z')
    then(later, { events: [retryScheduled(0, 0, 2, '2026-01-01T00:10:00.500Z')] })
    const s2 = given(
      ['NOOP'],
      started(0),
      ...running(0),
      unitFailed(0, true),
      { type: 'UnitRetryScheduled', data: { step: 0, shard: 0, attempt: 2, notBefore: T0 } },
      ...running(0, 0, 2),
    )
    then(when(s2, unitFailed(0, true, 0, 2)), {
      events: [retryScheduled(0, 0, 3, '2026-01-01T00:00:01.000Z')],
    })
  })

  test('the retry limit fails the step after three failed attempts', () => {
    const retry = (attempt: number): DomainEvent => ({
      type: 'UnitRetryScheduled',
      data: { step: 0, shard: 0, attempt, notBefore: T0 },
    })
    const s = given(
      ['NOOP'],
      started(0),
      ...running(0),
      unitFailed(0, true),
      retry(2),
      ...running(0, 0, 2),
      unitFailed(0, true, 0, 2),
      retry(3),
      ...running(0, 0, 3),
    )
    const r = when(s, unitFailed(0, true, 0, 3))
    then(r, { events: [{ type: 'StepFailed', data: { step: 0, error: 'boom (after 3 failed attempts)' } }] })
  })

  test('a non-retryable failure fails the step, and a failed step fails the pipeline and cancels its other shards', () => {
    const s = given(['ECHO_ITEMS'], started(0, 3), ...running(0, 0), ...running(0, 1))
    then(when(s, unitFailed(0, false, 1)), {
      events: [{ type: 'StepFailed', data: { step: 0, error: 'shard 1: boom' } }],
    })
    const s2 = given(
      ['ECHO_ITEMS'],
      started(0, 3),
      ...running(0, 0),
      ...running(0, 1),
      unitFailed(0, false, 1),
    )
    then(when(s2, { type: 'StepFailed', data: { step: 0, error: 'shard 1: boom' } }), {
      events: [{ type: 'PipelineFailed', data: { error: 'step 0 (ECHO_ITEMS) failed: shard 1: boom' } }],
      effects: [{ type: 'CancelOrders', orderIds: [order(0, 0, 1)] }],
    })
  })

  test('a lease that expires after the unit started counts as a failure; before it started it does not', () => {
    const s = given(['NOOP'], started(0), ...running(0))
    const r = when(s, { type: 'UnitLeaseExpired', data: { step: 0, shard: 0, attempt: 1, worker: 'w1' } })
    then(r, {
      events: [retryScheduled(0, 0, 2, '2026-01-01T00:00:00.500Z')],
      effects: [{ type: 'CancelOrders', orderIds: [order(0, 0, 1)] }],
    })
    expect(r.snapshot.context.steps[0]!.units[0]!.failures).toBe(1)
    const s2 = given(['NOOP'], started(0), dispatched(0))
    const r2 = when(s2, { type: 'UnitLeaseExpired', data: { step: 0, shard: 0, attempt: 1, worker: null } })
    then(r2, {
      events: [retryScheduled(0, 0, 2, '2026-01-01T00:00:00.100Z')],
      effects: [{ type: 'CancelOrders', orderIds: [order(0, 0, 1)] }],
    })
    expect(r2.snapshot.context.steps[0]!.units[0]!.failures).toBe(0)
  })

  test('a step past its timeout is failed by the clock', () => {
    const s = given(['NOOP'], started(0), ...running(0))
    expect(decideTimeouts(s.context, '2026-01-01T00:00:59.000Z')).toEqual([])
    expect(decideTimeouts(s.context, '2026-01-01T00:01:00.001Z')).toEqual([
      { type: 'StepFailed', data: { step: 0, error: 'timed out after 60000 ms' } },
    ])
  })

  test('cancel at any point cancels what is in flight and ends the pipeline', () => {
    const s = given(['ECHO_ITEMS', 'NOOP'], started(0, 2), ...running(0, 0), dispatched(0, 1))
    const r = when(s, { type: 'PipelineCancelled', data: { reason: 'user' } })
    then(r, { effects: [{ type: 'CancelOrders', orderIds: [order(0, 0, 1), order(0, 1, 1)] }] })
    expect(r.snapshot.value).toBe('cancelled')
    expect(readyUnits(r.snapshot.context, T0)).toEqual([])
    const early = when(given(['NOOP']), { type: 'PipelineCancelled', data: { reason: 'user' } })
    then(early, {})
    expect(early.snapshot.value).toBe('cancelled')
  })

  test('a memo hit skips the step and starts the next one with the memoized output', () => {
    const s = given(['NOOP', 'NOOP'])
    const r = when(s, {
      type: 'StepCacheHit',
      data: { step: 0, output: cid(5), refs: [], from: { pipelineId: 'p0' as PipelineId, step: 0 } },
    })
    then(r, { effects: [{ type: 'StartStep', pipelineId: id, step: 1, input: cid(5) }] })
  })

  test("a joined step waits without units, then continues from the leader's output", () => {
    const s = given(['NOOP', 'NOOP'])
    const r = when(s, { type: 'StepJoined', data: { step: 0, leader: 'p0' as PipelineId, memoKey: 'k0' } })
    then(r, {})
    expect(r.snapshot.context.steps[0]!.status).toBe('joined')
    expect(readyUnits(r.snapshot.context, T0)).toEqual([])
    const hit = when(r.snapshot, {
      type: 'StepCacheHit',
      data: { step: 0, output: cid(5), refs: [], from: { pipelineId: 'p0' as PipelineId, step: 0 } },
    })
    then(hit, { effects: [{ type: 'StartStep', pipelineId: id, step: 1, input: cid(5) }] })
  })

  test('a failed shard is retried alone, and the step completes when every shard has succeeded', () => {
    const s = given(
      ['ECHO_ITEMS'],
      started(0, 3),
      ...running(0, 0),
      ...running(0, 1),
      ...running(0, 2),
      unitSucceeded(0, 0),
    )
    const r = when(s, unitFailed(0, true, 1))
    then(r, { events: [retryScheduled(0, 1, 2, '2026-01-01T00:00:00.500Z')] })
    const after = given(
      ['ECHO_ITEMS'],
      started(0, 3),
      ...running(0, 0),
      ...running(0, 1),
      ...running(0, 2),
      unitSucceeded(0, 0),
      unitFailed(0, true, 1),
      {
        type: 'UnitRetryScheduled',
        data: { step: 0, shard: 1, attempt: 2, notBefore: '2026-01-01T00:00:00.500Z' },
      },
    )
    expect(readyUnits(after.context, T0)).toEqual([])
    expect(
      readyUnits(after.context, '2026-01-01T00:00:00.500Z').map((u) => [u.unit.shard, u.unit.attempt]),
    ).toEqual([[1, 2]])
    expect(after.context.steps[0]!.units.map((u) => u.status)).toEqual(['succeeded', 'queued', 'running'])
    const done = given(
      ['ECHO_ITEMS'],
      started(0, 3),
      ...running(0, 0),
      ...running(0, 2),
      unitSucceeded(0, 0),
      unitSucceeded(0, 2),
      ...running(0, 1),
    )
    then(when(done, unitSucceeded(0, 1)), { effects: [{ type: 'CompleteStep', pipelineId: id, step: 0 }] })
  })
})

describe('deciding on worker reports', () => {
  const report = (type: OrderReport['type'], attempt: number): OrderReport => ({
    type,
    v: 2,
    orderId: order(0, 0, attempt),
    workerId: 'w9',
    output: cid(1),
    refs: [],
    stats: {},
    error: 'x',
    retryable: true,
    done: 1,
    total: 2,
    unit: 'items',
  })

  test('OrderReceived for the current attempt starts the unit', () => {
    const s = given(['NOOP'], started(0), dispatched(0))
    expect(
      decideReport(s.context, { pipelineId: id, step: 0, shard: 0, attempt: 1 }, report('OrderReceived', 1)),
    ).toEqual([
      { type: 'UnitStarted', data: { step: 0, shard: 0, attempt: 1, orderId: order(0, 0, 1), worker: 'w9' } },
    ])
  })

  test('a report from a superseded attempt is recorded as ignored', () => {
    const s = given(
      ['NOOP'],
      started(0),
      ...running(0),
      { type: 'UnitLeaseExpired', data: { step: 0, shard: 0, attempt: 1, worker: 'w1' } },
      { type: 'UnitRetryScheduled', data: { step: 0, shard: 0, attempt: 2, notBefore: T0 } },
      ...running(0, 0, 2),
    )
    expect(
      decideReport(s.context, { pipelineId: id, step: 0, shard: 0, attempt: 1 }, report('OrderSucceeded', 1)),
    ).toEqual([
      {
        type: 'UnitReportIgnored',
        data: { step: 0, shard: 0, attempt: 1, reason: 'superseded attempt (current is 2)' },
      },
    ])
  })

  test('copies of a stale report (re-sent by its worker) are recorded once', () => {
    const expired = given(
      ['NOOP'],
      started(0),
      ...running(0),
      { type: 'UnitLeaseExpired', data: { step: 0, shard: 0, attempt: 1, worker: 'w1' } },
      { type: 'UnitRetryScheduled', data: { step: 0, shard: 0, attempt: 2, notBefore: T0 } },
      ...running(0, 0, 2),
    )
    const ignored = decideReport(
      expired.context,
      { pipelineId: id, step: 0, shard: 0, attempt: 1 },
      report('OrderSucceeded', 1),
    )
    expect(ignored.map((e) => e.type)).toEqual(['UnitReportIgnored'])
    const after = when(expired, ignored[0]!).snapshot
    expect(
      decideReport(
        after.context,
        { pipelineId: id, step: 0, shard: 0, attempt: 1 },
        report('OrderSucceeded', 1),
      ),
    ).toEqual([])
    // A hand-back already recorded as UnitFailed is not recorded again as ignored either.
    const handedBack = given(
      ['NOOP'],
      started(0),
      dispatched(0),
      { type: 'UnitFailed', data: { step: 0, shard: 0, attempt: 1, error: 'handed back', retryable: true } },
      { type: 'UnitRetryScheduled', data: { step: 0, shard: 0, attempt: 2, notBefore: T0 } },
    )
    expect(
      decideReport(
        handedBack.context,
        { pipelineId: id, step: 0, shard: 0, attempt: 1 },
        report('OrderCancelled', 1),
      ),
    ).toEqual([])
  })

  test('a repeated final report is a no-op', () => {
    const s = given(['NOOP', 'NOOP'], started(0), ...running(0), unitSucceeded(0))
    expect(
      decideReport(s.context, { pipelineId: id, step: 0, shard: 0, attempt: 1 }, report('OrderSucceeded', 1)),
    ).toEqual([])
  })

  test('a success that arrives before OrderReceived logs the start first', () => {
    const s = given(['NOOP'], started(0), dispatched(0))
    const events = decideReport(
      s.context,
      { pipelineId: id, step: 0, shard: 0, attempt: 1 },
      report('OrderSucceeded', 1),
    )
    expect(events.map((e) => e.type)).toEqual(['UnitStarted', 'UnitSucceeded'])
  })

  test('reports for an ended pipeline record nothing', () => {
    const s = when(given(['NOOP'], started(0), ...running(0)), {
      type: 'PipelineCancelled',
      data: { reason: 'x' },
    }).snapshot
    expect(
      decideReport(s.context, { pipelineId: id, step: 0, shard: 0, attempt: 1 }, report('OrderSucceeded', 1)),
    ).toEqual([])
  })
})

describe('hand-backs', () => {
  test('a unit handed back before it started is re-queued at once and spends no attempt', () => {
    const s = given(['NOOP'], started(0), dispatched(0))
    const events = decideReport(
      s.context,
      { pipelineId: id, step: 0, shard: 0, attempt: 1 },
      {
        type: 'OrderCancelled',
        v: 2,
        orderId: order(0, 0, 1),
        workerId: 'busy',
      },
    )
    expect(events).toEqual([
      {
        type: 'UnitFailed',
        data: {
          step: 0,
          shard: 0,
          attempt: 1,
          error: 'handed back unstarted by worker busy',
          retryable: true,
        },
      },
    ])
    const r = when(s, events[0]!)
    then(r, { events: [retryScheduled(0, 0, 2, '2026-01-01T00:00:00.100Z')] })
    expect(r.snapshot.context.steps[0]!.units[0]!.failures).toBe(0)
  })
})
