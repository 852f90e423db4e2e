import type { DomainEvent } from '../events.ts'
import { type Evolution, evolved } from './evolution.ts'
import { backoffDelay, type PipelineState, type StepState, type UnitState } from './state.ts'
import { updateUnit } from './state-updates.ts'

/** What follows a step's success: the next step (an effect), or the pipeline's end (an event). */
export function afterStep(state: PipelineState, step: number, output: StepState['output']): Evolution {
  if (step + 1 < state.steps.length)
    return evolved(state, {
      effects: [{ type: 'StartStep', pipelineId: state.id, step: step + 1, input: output }],
    })
  return evolved(state, { events: output ? [{ type: 'PipelineSucceeded', data: { output } }] : [] })
}

/**
 * A unit attempt was lost or failed at `at`: schedule a retry within the policy (due after
 * the backoff, counted from `at`), or fail its step.
 */
export function retryOrFail(
  state: PipelineState,
  step: number,
  unit: UnitState,
  counts: boolean,
  error: string,
  at: string,
  /** A fixed delay before the retry, ms (a lost worker: 0); default: the policy's backoff. */
  delayOverrideMs?: number,
): Evolution {
  const failures = unit.failures + (counts ? 1 : 0)
  if (failures < state.policy.maxAttempts) {
    const next = updateUnit(state, step, unit.shard, (u) => ({ ...u, failures, status: 'queued' }))
    // An attempt that never started (lost order, worker full) is re-queued almost at once.
    const delayMs =
      delayOverrideMs !== undefined
        ? delayOverrideMs
        : counts
          ? backoffDelay(state.policy, failures)
          : Math.min(state.policy.backoffBaseMs, 100)
    const notBefore = new Date(Date.parse(at) + delayMs).toISOString()
    const retry: DomainEvent = {
      type: 'UnitRetryScheduled',
      data: { step, shard: unit.shard, attempt: unit.attempt + 1, notBefore },
    }
    return evolved(next, { events: [retry] })
  }
  const failed = updateUnit(state, step, unit.shard, (u) => ({ ...u, failures, status: 'failed' }))
  const shards = state.steps[step]?.units.length ?? 1
  const where = shards > 1 ? `shard ${unit.shard}: ` : ''
  const message = `${where}${error} (after ${failures} failed attempt${failures === 1 ? '' : 's'})`
  return evolved(failed, { events: [{ type: 'StepFailed', data: { step, error: message } }] })
}
