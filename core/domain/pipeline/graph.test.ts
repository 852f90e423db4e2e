import { describe, expect, test } from 'vitest'
import type { Cid } from '../cid.ts'
import type { DomainEvent } from '../events.ts'
import { makeOrderId, type OrderId, type PipelineId } from '../ids.ts'
import type { ResolvedTask } from '../pipeline-spec.ts'
import { createPipeline, type MachineStep, type PipelineSnapshot, stepPipeline } from './machine.ts'
import { readyUnits } from './decide.ts'
import { DEFAULT_RETRY_POLICY, type PipelineEffect } from './state.ts'

const id = 'g1' as PipelineId
const T0 = '2026-01-01T00:00:00.000Z'
const cid = (n: number) => `bafkreig${String(n).padStart(52, 'a')}` as Cid
const order = (step: number): OrderId => makeOrderId({ pipelineId: id, step, shard: 0, attempt: 1 })
const task = (call: string, graph: { id?: string; inputs?: string[] } = {}): ResolvedTask => ({
  call,
  args: [],
  version: 1,
  lane: 'default',
  timeoutMs: 60_000,
  ...graph,
})

// fetch_a → mfcc_a ┐
//                  ├→ learn → (last task) report
// fetch_b → mfcc_b ┘
const GRAPH: ResolvedTask[] = [
  task('MAKE_DATASET', { id: 'fetch_a', inputs: [] }),
  task('MAKE_DATASET', { id: 'fetch_b', inputs: [] }),
  task('ECHO_ITEMS', { id: 'mfcc_a', inputs: ['fetch_a'] }),
  task('ECHO_ITEMS', { id: 'mfcc_b', inputs: ['fetch_b'] }),
  task('NOOP', { id: 'learn', inputs: ['mfcc_a', 'mfcc_b'] }),
]
const submitted = { name: 'graph', tasks: GRAPH, labels: {}, cache: true }

/** given: the graph pipeline and the events already logged. */
function given(...events: DomainEvent[]): PipelineSnapshot {
  let snapshot = createPipeline({ id, submitted, policy: DEFAULT_RETRY_POLICY })
  for (const event of [{ type: 'PipelineSubmitted', data: submitted } as DomainEvent, ...events])
    snapshot = stepPipeline(snapshot, event, T0).snapshot
  return snapshot
}
/** when: one more event. */
const when = (snapshot: PipelineSnapshot, event: DomainEvent): MachineStep =>
  stepPipeline(snapshot, event, T0)
/** then: the events that follow and the effects that need the world. */
function then(step: MachineStep, expected: { events?: DomainEvent[]; effects?: PipelineEffect[] }): void {
  expect({ events: step.events, effects: step.effects }).toEqual({
    events: expected.events ?? [],
    effects: expected.effects ?? [],
  })
}

const start = (step: number, input: Cid | null = null): PipelineEffect => ({
  type: 'StartStep',
  pipelineId: id,
  step,
  input,
})
const started = (step: number, input: Cid | null = null): DomainEvent => ({
  type: 'StepStarted',
  data: { step, input, shards: 1, memoKey: `k${step}` },
})
const running = (step: number): DomainEvent[] => [
  { type: 'UnitDispatched', data: { step, shard: 0, attempt: 1, orderId: order(step), lane: 'default' } },
  { type: 'UnitStarted', data: { step, shard: 0, attempt: 1, orderId: order(step), worker: `w${step}` } },
]
const succeeded = (step: number): DomainEvent => ({
  type: 'StepSucceeded',
  data: { step, output: cid(step), refs: [] },
})
const unitDone = (step: number): DomainEvent => ({
  type: 'UnitSucceeded',
  data: { step, shard: 0, attempt: 1, output: cid(step), refs: [], stats: {} },
})
const cacheHit = (step: number): DomainEvent => ({
  type: 'StepCacheHit',
  data: { step, output: cid(step), refs: [], from: { pipelineId: 'g0' as PipelineId, step } },
})
/** Both branches up to their MFCC steps, running at once. */
const branchesRunning = (): DomainEvent[] => [
  started(0),
  started(1),
  ...running(0),
  ...running(1),
  unitDone(0),
  unitDone(1),
  succeeded(0),
  succeeded(1),
  started(2, cid(0)),
  started(3, cid(1)),
  ...running(2),
  ...running(3),
]

describe('a pipeline as a graph', () => {
  test('fan-out: submitting starts every source at once', () => {
    const s = createPipeline({ id, submitted, policy: DEFAULT_RETRY_POLICY })
    then(when(s, { type: 'PipelineSubmitted', data: submitted }), { effects: [start(0), start(1)] })
  })

  test('fan-out: both branches run side by side, each unit ready for a worker at once', () => {
    const s = given(started(0), started(1))
    expect(readyUnits(s.context, T0).map((u) => u.step)).toEqual([0, 1])
    then(when(given(started(0), started(1), ...running(0), ...running(1)), succeeded(1)), {
      effects: [start(3, cid(1))],
    })
  })

  test('fan-in: the merging step waits for its last input, then starts with every input in order', () => {
    const s = given(...branchesRunning())
    then(when(s, succeeded(3)), {})
    then(when(given(...branchesRunning(), succeeded(3)), succeeded(2)), {
      effects: [{ type: 'StartStep', pipelineId: id, step: 4, input: cid(2), inputs: [cid(2), cid(3)] }],
    })
  })

  test('fan-in: the step records its inputs, and the pipeline ends with the last task output', () => {
    const merged = cid(42)
    const s = given(...branchesRunning(), succeeded(3), succeeded(2), {
      type: 'StepStarted',
      data: { step: 4, input: merged, inputs: [cid(2), cid(3)], shards: 1, memoKey: 'k4' },
    })
    expect(s.context.steps[4]!.inputs).toEqual([cid(2), cid(3)])
    then(
      when(
        given(...branchesRunning(), succeeded(3), succeeded(2), started(4, merged), ...running(4)),
        succeeded(4),
      ),
      {
        events: [{ type: 'PipelineSucceeded', data: { output: cid(4) } }],
      },
    )
  })

  test('a failure in one branch fails the pipeline and cancels the other running branch', () => {
    const s = given(...branchesRunning())
    then(
      when(s, {
        type: 'UnitFailed',
        data: { step: 2, shard: 0, attempt: 1, error: 'boom', retryable: false },
      }),
      {
        events: [{ type: 'StepFailed', data: { step: 2, error: 'boom' } }],
      },
    )
    const failing = given(...branchesRunning(), {
      type: 'UnitFailed',
      data: { step: 2, shard: 0, attempt: 1, error: 'boom', retryable: false },
    })
    const r = when(failing, { type: 'StepFailed', data: { step: 2, error: 'boom' } })
    then(r, { events: [{ type: 'PipelineFailed', data: { error: 'step 2 (ECHO_ITEMS) failed: boom' } }] })
    const end = when(r.snapshot, {
      type: 'PipelineFailed',
      data: { error: 'step 2 (ECHO_ITEMS) failed: boom' },
    })
    then(end, { effects: [{ type: 'CancelOrders', orderIds: [order(3)] }] })
    expect(end.snapshot.value).toBe('failed')
    expect(end.snapshot.context.steps.map((st) => st.status)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'cancelled',
      'pending',
    ])
  })

  test('cancel stops every branch', () => {
    const r = when(given(...branchesRunning()), { type: 'PipelineCancelled', data: { reason: 'user' } })
    then(r, { effects: [{ type: 'CancelOrders', orderIds: [order(2), order(3)] }] })
    expect(readyUnits(r.snapshot.context, T0)).toEqual([])
    expect(r.snapshot.context.steps.map((st) => st.status)).toEqual([
      'succeeded',
      'succeeded',
      'cancelled',
      'cancelled',
      'pending',
    ])
  })

  test('retry: memo hits on every succeeded step carry the graph through to its end', () => {
    let s = createPipeline({ id, submitted, policy: DEFAULT_RETRY_POLICY })
    const effects: PipelineEffect[] = []
    for (const event of [
      { type: 'PipelineSubmitted', data: submitted } as DomainEvent,
      ...[0, 1, 2, 3, 4].map(cacheHit),
    ]) {
      const r = when(s, event)
      effects.push(...r.effects)
      s = r.snapshot
      if (event.type === 'StepCacheHit' && event.data.step === 4)
        expect(r.events).toEqual([{ type: 'PipelineSucceeded', data: { output: cid(4) } }])
    }
    expect(effects).toEqual([
      start(0),
      start(1),
      start(2, cid(0)),
      start(3, cid(1)),
      { type: 'StartStep', pipelineId: id, step: 4, input: cid(2), inputs: [cid(2), cid(3)] },
    ])
  })

  test('a list document keeps its meaning: each step after the previous one', () => {
    const list = { name: 'list', tasks: [task('NOOP'), task('NOOP')], labels: {}, cache: true }
    let s = createPipeline({ id, submitted: list, policy: DEFAULT_RETRY_POLICY })
    const r = when(s, { type: 'PipelineSubmitted', data: list })
    then(r, { effects: [start(0)] })
    s = r.snapshot
    for (const e of [started(0), ...running(0)]) s = when(s, e).snapshot
    then(when(s, succeeded(0)), { effects: [start(1, cid(0))] })
  })
})
