import type { DomainEvent } from '../events.ts'
import { assertNever } from '../errors.ts'
import { type Evolution, evolved } from './evolution.ts'
import { afterStep, retryOrFail } from './follow-ups.ts'
import {
  inFlightOrders,
  isInFlight as isInFlightUnit,
  type PipelineEffect,
  type PipelineState,
  type StepState,
  type UnitState,
  shardRange,
} from './state.ts'
import { findUnit, updateStep, updateUnit, withReported } from './state-updates.ts'

/**
 * The pipeline machine's decider: applies one logged event (recorded at `at`) to the state and
 * says what follows: the events it already knows and the effects that need the world. Pure: no
 * I/O, no clock; time arrives with the event.
 */
export function evolvePipeline(state: PipelineState, event: DomainEvent, at: string): Evolution {
  switch (event.type) {
    case 'PipelineSubmitted':
      return evolved(state, { effects: [{ type: 'StartStep', pipelineId: state.id, step: 0, input: null }] })
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
      return evolved(next)
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
      return evolved(next)
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
      return afterStep(next, d.step, d.output)
    }
    case 'UnitDispatched': {
      const d = event.data
      const next = updateUnit(state, d.step, d.shard, (u) => ({
        ...u,
        attempt: d.attempt,
        status: 'dispatched',
        orderId: d.orderId,
        worker: d.worker ?? null,
        started: false,
        items: d.items ?? u.items,
      }))
      // The order is built and sent by dispatch, which decided it, after the commit.
      return evolved(next)
    }
    case 'UnitStarted': {
      const d = event.data
      return evolved(
        updateUnit(state, d.step, d.shard, (u) => ({
          ...u,
          status: 'running',
          worker: d.worker,
          started: true,
        })),
      )
    }
    case 'UnitProgressed':
      return evolved(state)
    case 'UnitReportIgnored': {
      const d = event.data
      return evolved(updateUnit(state, d.step, d.shard, (u) => withReported(u, d.attempt)))
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
      return evolved(next, {
        effects: done ? [{ type: 'CompleteStep', pipelineId: state.id, step: d.step }] : [],
      })
    }
    case 'UnitFailed': {
      const d = event.data
      const found = findUnit(state, d.step, d.shard)
      if (!found) return evolved(state)
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
        return evolved(failed, { events: [{ type: 'StepFailed', data: { step: d.step, error } }] })
      }
      return retryOrFail(state, d.step, unit, unit.started, d.error, at)
    }
    case 'UnitLeaseExpired': {
      const d = event.data
      const unit = findUnit(state, d.step, d.shard)
      if (!unit) return evolved(state)
      const evolution = retryOrFail(
        state,
        d.step,
        unit,
        unit.started,
        `lease expired${d.worker ? ` on worker ${d.worker}` : ''}`,
        at,
      )
      const cancel: PipelineEffect[] = unit.orderId
        ? [{ type: 'CancelOrders', orderIds: [unit.orderId] }]
        : []
      return { ...evolution, effects: [...cancel, ...evolution.effects] }
    }
    case 'UnitWorkerLost': {
      const d = event.data
      const unit = findUnit(state, d.step, d.shard)
      if (!unit || unit.attempt !== d.attempt || !isInFlightUnit(unit)) return evolved(state)
      // Re-dispatched at once (no backoff); the attempt counts only if it had started.
      const evolution = retryOrFail(
        state,
        d.step,
        unit,
        unit.started,
        `worker ${d.worker} lost (${d.cause})`,
        at,
        0,
      )
      const cancel: PipelineEffect[] = unit.orderId
        ? [{ type: 'CancelOrders', orderIds: [unit.orderId] }]
        : []
      return { ...evolution, effects: [...cancel, ...evolution.effects] }
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
      return evolved(next)
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
      return evolved(next, {
        events: [{ type: 'PipelineFailed', data: { error: `step ${d.step} (${call}) failed: ${d.error}` } }],
        effects: orderIds.length > 0 ? [{ type: 'CancelOrders', orderIds }] : [],
      })
    }
    case 'PipelineSucceeded':
      return evolved({ ...state, status: 'succeeded', output: event.data.output })
    case 'PipelineFailed': {
      const orderIds = inFlightOrders(state)
      return evolved(
        { ...state, status: 'failed', error: event.data.error },
        { effects: orderIds.length ? [{ type: 'CancelOrders', orderIds }] : [] },
      )
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
      return evolved(
        { ...state, status: 'cancelled', error: event.data.reason, steps },
        { effects: orderIds.length ? [{ type: 'CancelOrders', orderIds }] : [] },
      )
    }
    default:
      return assertNever(event, 'event')
  }
}
