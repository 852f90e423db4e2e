import type { DomainEvent } from '../events.ts'
import { assertNever } from '../errors.ts'
import type { PipelineId } from '../ids.ts'
import {
  backoffDelay,
  inFlightOrders,
  type PipelineCommand,
  type PipelineState,
  type StepState,
  type UnitState,
  shardRange,
} from './state.ts'

/** The result of applying one event: the next state and what must happen because of it. */
export interface Evolution {
  state: PipelineState
  commands: PipelineCommand[]
}

function updateStep(state: PipelineState, index: number, fn: (step: StepState) => StepState): PipelineState {
  return { ...state, steps: state.steps.map((s) => (s.index === index ? fn(s) : s)) }
}

function updateUnit(
  state: PipelineState,
  step: number,
  shard: number,
  fn: (unit: UnitState) => UnitState,
): PipelineState {
  return updateStep(state, step, (s) => ({
    ...s,
    units: s.units.map((u) => (u.shard === shard ? fn(u) : u)),
  }))
}

/** Notes that an attempt's final report is recorded. */
function withReported(unit: UnitState, attempt: number): UnitState {
  const reported = unit.reported ?? []
  return reported.includes(attempt) ? unit : { ...unit, reported: [...reported, attempt] }
}

function findUnit(state: PipelineState, step: number, shard: number): UnitState | undefined {
  return state.steps[step]?.units.find((u) => u.shard === shard)
}

/** What follows a step's success: the next step, or the pipeline's end. */
function afterStep(state: PipelineState, step: number, output: StepState['output']): PipelineCommand[] {
  const id: PipelineId = state.id
  if (step + 1 < state.steps.length)
    return [{ type: 'StartStep', pipelineId: id, step: step + 1, input: output }]
  return output ? [{ type: 'FinishPipeline', pipelineId: id, output }] : []
}

/** A unit attempt was lost or failed: retry within the policy, or fail its step. */
function retryOrFail(
  state: PipelineState,
  step: number,
  unit: UnitState,
  counts: boolean,
  error: string,
): Evolution {
  const failures = unit.failures + (counts ? 1 : 0)
  const next = updateUnit(state, step, unit.shard, (u) => ({ ...u, failures, status: 'queued' }))
  if (failures < state.policy.maxAttempts) {
    // An attempt that never started (lost order, worker full) is re-queued almost at once.
    const delayMs = counts ? backoffDelay(state.policy, failures) : Math.min(state.policy.backoffBaseMs, 100)
    return {
      state: next,
      commands: [
        {
          type: 'ScheduleRetry',
          pipelineId: state.id,
          step,
          shard: unit.shard,
          attempt: unit.attempt + 1,
          delayMs,
        },
      ],
    }
  }
  const failed = updateUnit(state, step, unit.shard, (u) => ({ ...u, failures, status: 'failed' }))
  const shards = state.steps[step]?.units.length ?? 1
  const where = shards > 1 ? `shard ${unit.shard}: ` : ''
  return {
    state: failed,
    commands: [
      {
        type: 'FailStep',
        pipelineId: state.id,
        step,
        error: `${where}${error} (after ${failures} failed attempt${failures === 1 ? '' : 's'})`,
      },
    ],
  }
}

/**
 * The pipeline machine's reducer: applies one logged event to the state and says what must
 * happen next. Pure: no I/O, no clock; time arrives inside events.
 */
export function evolvePipeline(state: PipelineState, event: DomainEvent, at: string): Evolution {
  const none: PipelineCommand[] = []
  switch (event.type) {
    case 'PipelineSubmitted':
      return { state, commands: [{ type: 'StartStep', pipelineId: state.id, step: 0, input: null }] }
    case 'StepStarted': {
      const d = event.data
      const units: UnitState[] = Array.from({ length: d.shards }, (_, shard) => ({
        shard,
        attempt: 1,
        status: 'queued',
        orderId: null,
        worker: null,
        notBefore: null,
        failures: 0,
        started: false,
        items:
          d.itemCount !== undefined && d.shardSize !== undefined
            ? shardRange(shard, d.itemCount, d.shardSize)
            : null,
        output: null,
        refs: [],
        stats: {},
      }))
      const next = updateStep(state, d.step, (s) => ({
        ...s,
        status: 'running',
        input: d.input,
        memoKey: d.memoKey,
        startedAt: at,
        leader: null,
        itemCount: d.itemCount ?? null,
        shardSize: d.shardSize ?? null,
        units,
      }))
      return { state: next, commands: none }
    }
    case 'StepJoined': {
      const d = event.data
      const next = updateStep(state, d.step, (s) => ({
        ...s,
        status: 'joined',
        leader: d.leader,
        memoKey: d.memoKey,
        startedAt: at,
      }))
      return { state: next, commands: none }
    }
    case 'StepCacheHit':
    case 'StepSucceeded': {
      const d = event.data
      const next = updateStep(state, d.step, (s) => ({
        ...s,
        status: 'succeeded',
        output: d.output,
        refs: d.refs,
        leader: null,
      }))
      return { state: next, commands: afterStep(next, d.step, d.output) }
    }
    case 'UnitDispatched': {
      const d = event.data
      const next = updateUnit(state, d.step, d.shard, (u) => ({
        ...u,
        attempt: d.attempt,
        status: 'dispatched',
        orderId: d.orderId,
        worker: null,
        started: false,
        items: d.items ?? u.items,
      }))
      const send: PipelineCommand = {
        type: 'SendOrder',
        pipelineId: state.id,
        step: d.step,
        shard: d.shard,
        attempt: d.attempt,
        orderId: d.orderId,
        lane: d.lane,
      }
      return { state: next, commands: [send] }
    }
    case 'UnitStarted': {
      const d = event.data
      return {
        state: updateUnit(state, d.step, d.shard, (u) => ({
          ...u,
          status: 'running',
          worker: d.worker,
          started: true,
        })),
        commands: none,
      }
    }
    case 'UnitProgressed':
      return { state, commands: none }
    case 'UnitReportIgnored': {
      const d = event.data
      return { state: updateUnit(state, d.step, d.shard, (u) => withReported(u, d.attempt)), commands: none }
    }
    case 'UnitSucceeded': {
      const d = event.data
      const next = updateUnit(state, d.step, d.shard, (u) =>
        withReported(
          { ...u, status: 'succeeded', output: d.output, refs: d.refs, stats: d.stats },
          d.attempt,
        ),
      )
      const step = next.steps[d.step]
      const done = step !== undefined && step.units.every((u) => u.status === 'succeeded')
      return {
        state: next,
        commands: done ? [{ type: 'CompleteStep', pipelineId: state.id, step: d.step }] : none,
      }
    }
    case 'UnitFailed': {
      const d = event.data
      const found = findUnit(state, d.step, d.shard)
      if (!found) return { state, commands: none }
      state = updateUnit(state, d.step, d.shard, (u) => withReported(u, d.attempt))
      const unit = withReported(found, d.attempt)
      if (!d.retryable) {
        const failed = updateUnit(state, d.step, d.shard, (u) => ({
          ...u,
          failures: u.failures + 1,
          status: 'failed',
        }))
        const shards = state.steps[d.step]?.units.length ?? 1
        const error = shards > 1 ? `shard ${d.shard}: ${d.error}` : d.error
        return { state: failed, commands: [{ type: 'FailStep', pipelineId: state.id, step: d.step, error }] }
      }
      return retryOrFail(state, d.step, unit, unit.started, d.error)
    }
    case 'UnitLeaseExpired': {
      const d = event.data
      const unit = findUnit(state, d.step, d.shard)
      if (!unit) return { state, commands: none }
      const evolution = retryOrFail(
        state,
        d.step,
        unit,
        unit.started,
        `lease expired${d.worker ? ` on worker ${d.worker}` : ''}`,
      )
      const cancel: PipelineCommand[] = unit.orderId
        ? [{ type: 'CancelOrders', orderIds: [unit.orderId] }]
        : []
      return { state: evolution.state, commands: [...cancel, ...evolution.commands] }
    }
    case 'UnitRetryScheduled': {
      const d = event.data
      const next = updateUnit(state, d.step, d.shard, (u) => ({
        ...u,
        attempt: d.attempt,
        status: 'queued',
        orderId: null,
        worker: null,
        started: false,
        notBefore: d.notBefore,
      }))
      return { state: next, commands: none }
    }
    case 'StepFailed': {
      const d = event.data
      const orderIds = inFlightOrders(state, d.step)
      const next = updateStep(state, d.step, (s) => ({
        ...s,
        status: 'failed',
        error: d.error,
        units: s.units.map((u) =>
          u.status === 'succeeded' || u.status === 'failed' ? u : { ...u, status: 'cancelled' },
        ),
      }))
      const call = state.tasks[d.step]?.call ?? '?'
      const commands: PipelineCommand[] = [
        { type: 'FailPipeline', pipelineId: state.id, error: `step ${d.step} (${call}) failed: ${d.error}` },
      ]
      if (orderIds.length > 0) commands.unshift({ type: 'CancelOrders', orderIds })
      return { state: next, commands }
    }
    case 'PipelineSucceeded':
      return { state: { ...state, status: 'succeeded', output: event.data.output }, commands: none }
    case 'PipelineFailed': {
      const orderIds = inFlightOrders(state)
      return {
        state: { ...state, status: 'failed', error: event.data.error },
        commands: orderIds.length ? [{ type: 'CancelOrders', orderIds }] : none,
      }
    }
    case 'PipelineCancelled': {
      const orderIds = inFlightOrders(state)
      const steps = state.steps.map((s): StepState =>
        s.status === 'succeeded' || s.status === 'failed'
          ? s
          : {
              ...s,
              status: s.status === 'pending' ? 'pending' : 'cancelled',
              units: s.units.map((u) => (u.status === 'succeeded' ? u : { ...u, status: 'cancelled' })),
            },
      )
      return {
        state: { ...state, status: 'cancelled', error: event.data.reason, steps },
        commands: orderIds.length ? [{ type: 'CancelOrders', orderIds }] : none,
      }
    }
    default:
      return assertNever(event, 'event')
  }
}
