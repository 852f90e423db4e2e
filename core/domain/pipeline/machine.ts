import { enqueueActions, setup, transition } from 'xstate'
import type { DomainEvent, EventOf } from '../events.ts'
import type { PipelineId } from '../ids.ts'
import { evolvePipeline } from './evolve.ts'
import type { PipelineEffect, PipelineState, RetryPolicy, StepState } from './state.ts'

/** An event as the machine receives it: the logged event and its time. */
export type MachineEvent = DomainEvent & { at: string }

/** What creating a pipeline machine needs. */
export interface PipelineMachineInput {
  id: PipelineId
  submitted: EventOf<'PipelineSubmitted'>['data']
  policy: RetryPolicy
}

function initialState(input: PipelineMachineInput): PipelineState {
  const steps: StepState[] = input.submitted.tasks.map((_, index) => ({
    index,
    status: 'pending',
    input: null,
    memoKey: null,
    startedAt: null,
    leader: null,
    itemCount: null,
    shardSize: null,
    units: [],
    output: null,
    refs: [],
    error: null,
  }))
  return {
    id: input.id,
    name: input.submitted.name,
    tasks: input.submitted.tasks,
    cache: input.submitted.cache,
    status: 'active',
    steps,
    output: null,
    error: null,
    policy: input.policy,
  }
}

/**
 * The pipeline machine (XState 5). Its context is the PipelineState; every logged event goes
 * through `evolvePipeline`; the events that follow are emitted as `follow` actions (the monitor
 * records them next) and the effects as `effect` actions (the monitor carries them out). Steps and shards are dynamic, so they live in the context;
 * the pipeline's own lifecycle is the statechart.
 */
export const pipelineMachine = setup({
  types: {
    context: {} as PipelineState,
    events: {} as MachineEvent,
    input: {} as PipelineMachineInput,
  },
  actions: {
    // Carried out by the monitor from the returned action list; nothing runs here.
    effect: (_: unknown, _params: PipelineEffect) => undefined,
    follow: (_: unknown, _params: DomainEvent) => undefined,
    apply: enqueueActions(({ context, event, enqueue }) => {
      const { at, ...domainEvent } = event
      const { state, events, effects } = evolvePipeline(context, domainEvent, at)
      enqueue.assign(() => state)
      for (const effect of effects) enqueue({ type: 'effect', params: effect })
      for (const next of events) enqueue({ type: 'follow', params: next })
    }),
  },
}).createMachine({
  id: 'pipeline',
  context: ({ input }) => initialState(input),
  initial: 'active',
  states: {
    active: {
      on: {
        PipelineSucceeded: { target: 'succeeded', actions: 'apply' },
        PipelineFailed: { target: 'failed', actions: 'apply' },
        PipelineCancelled: { target: 'cancelled', actions: 'apply' },
        '*': { actions: 'apply' },
      },
    },
    succeeded: { type: 'final' },
    failed: { type: 'final' },
    cancelled: { type: 'final' },
  },
})

/** The pipeline's lifecycle: the chart's state values. */
export type PipelineValue = 'active' | 'succeeded' | 'failed' | 'cancelled'

/**
 * A pipeline machine's snapshot: the chart's state value, whether it is final (`done`, as XState
 * says), and the context. Plain data: stepping it builds no actor.
 */
export interface PipelineSnapshot {
  value: PipelineValue
  status: 'active' | 'done'
  context: PipelineState
}

/**
 * The result of one machine step: the next snapshot, the events that follow (record them next,
 * in order) and the effects to carry out (before those events).
 */
export interface MachineStep {
  snapshot: PipelineSnapshot
  events: DomainEvent[]
  effects: PipelineEffect[]
}

/** The chart's transitions out of `active` (every other event stays in `active`). */
const FINAL_VALUE: Partial<Record<DomainEvent['type'], PipelineValue>> = {
  PipelineSucceeded: 'succeeded',
  PipelineFailed: 'failed',
  PipelineCancelled: 'cancelled',
}

/** Creates a pipeline's machine from its `PipelineSubmitted` event (feed that event next). */
export function createPipeline(input: PipelineMachineInput): PipelineSnapshot {
  return { value: 'active', status: 'active', context: initialState(input) }
}

/**
 * Feeds one logged event to a pipeline machine: pure, no I/O. This is `pipelineMachine`'s
 * transition computed directly (one non-final state, `apply` on every event, three final
 * states that take nothing): XState's `transition()` builds a throwaway actor per event, which
 * was the largest item of the monitor's CPU profile. `stepWithXState` is the reference; a test
 * replays recorded logs through both.
 */
export function stepPipeline(snapshot: PipelineSnapshot, event: DomainEvent, at: string): MachineStep {
  if (snapshot.status === 'done') return { snapshot, events: [], effects: [] }
  const { state, events, effects } = evolvePipeline(snapshot.context, event, at)
  const value = FINAL_VALUE[event.type] ?? 'active'
  return {
    snapshot: { value, status: value === 'active' ? 'active' : 'done', context: state },
    events,
    effects,
  }
}

function paramsOf<T>(actions: readonly { type: string; params?: unknown }[], type: string): T[] {
  return actions.filter((a) => a.type === type).map((a) => a.params as T)
}

/** The same step through XState's `transition()` (the reference `stepPipeline` must match). */
export function stepWithXState(snapshot: PipelineSnapshot, event: DomainEvent, at: string): MachineStep {
  const resolved = pipelineMachine.resolveState({ value: snapshot.value, context: snapshot.context })
  const [next, actions] = transition(pipelineMachine, resolved, { ...event, at })
  const value: PipelineValue = next.value
  return {
    snapshot: { value, status: next.status === 'done' ? 'done' : 'active', context: next.context },
    events: paramsOf<DomainEvent>(actions, 'follow'),
    effects: paramsOf<PipelineEffect>(actions, 'effect'),
  }
}

/** A snapshot as plain JSON, for the snapshot table. */
export function persistPipeline(snapshot: PipelineSnapshot): { value: string; context: PipelineState } {
  return { value: snapshot.value, context: snapshot.context }
}

function isValue(value: string): value is PipelineValue {
  return value === 'active' || value === 'succeeded' || value === 'failed' || value === 'cancelled'
}

/** Rebuilds a snapshot persisted by `persistPipeline`. */
export function restorePipeline(persisted: { value: string; context: PipelineState }): PipelineSnapshot {
  const value: PipelineValue = isValue(persisted.value) ? persisted.value : 'active'
  return { value, status: value === 'active' ? 'active' : 'done', context: persisted.context }
}
