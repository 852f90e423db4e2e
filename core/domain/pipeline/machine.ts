import { enqueueActions, initialTransition, setup, transition, type SnapshotFrom } from 'xstate'
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

/** A pipeline machine's snapshot. */
export type PipelineSnapshot = SnapshotFrom<typeof pipelineMachine>

/**
 * The result of one machine step: the next snapshot, the events that follow (record them next,
 * in order) and the effects to carry out (before those events).
 */
export interface MachineStep {
  snapshot: PipelineSnapshot
  events: DomainEvent[]
  effects: PipelineEffect[]
}

function paramsOf<T>(actions: readonly { type: string; params?: unknown }[], type: string): T[] {
  return actions.filter((a) => a.type === type).map((a) => a.params as T)
}

/** Creates a pipeline's machine from its `PipelineSubmitted` event (feed that event next). */
export function createPipeline(input: PipelineMachineInput): PipelineSnapshot {
  const [snapshot] = initialTransition(pipelineMachine, input)
  return snapshot
}

/** Feeds one logged event to a pipeline machine: pure, no I/O. */
export function stepPipeline(snapshot: PipelineSnapshot, event: DomainEvent, at: string): MachineStep {
  const [next, actions] = transition(pipelineMachine, snapshot, { ...event, at })
  return {
    snapshot: next,
    events: paramsOf<DomainEvent>(actions, 'follow'),
    effects: paramsOf<PipelineEffect>(actions, 'effect'),
  }
}

/** A snapshot as plain JSON, for the snapshot table. */
export function persistPipeline(snapshot: PipelineSnapshot): { value: string; context: PipelineState } {
  return { value: snapshot.value, context: snapshot.context }
}

/** Rebuilds a snapshot persisted by `persistPipeline`. */
export function restorePipeline(persisted: { value: string; context: PipelineState }): PipelineSnapshot {
  return pipelineMachine.resolveState({ value: persisted.value, context: persisted.context })
}
