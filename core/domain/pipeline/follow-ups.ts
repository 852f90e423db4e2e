import type { Cid } from '../cid.ts'
import type { DomainEvent } from '../events.ts'
import { type Evolution, evolved } from './evolution.ts'
import { resolveStepConsumers, resolveStepInputs } from '../pipeline-spec-graph.ts'
import { backoffDelay, type PipelineEffect, type PipelineState, type UnitState } from './state.ts'
import { updateUnit } from './state-updates.ts'

/** The step that starts a pending step, given the outputs of its inputs (one, several or none). */
export function startEffect(state: PipelineState, step: number, outputs: Cid[]): PipelineEffect {
  return outputs.length > 1
    ? { type: 'StartStep', pipelineId: state.id, step, input: outputs[0]!, inputs: outputs }
    : { type: 'StartStep', pipelineId: state.id, step, input: outputs[0] ?? null }
}

/** The outputs of a step's inputs, in the order of its `inputs`, or null while one has not succeeded. */
export function inputOutputs(state: PipelineState, step: number): Cid[] | null {
  const from = resolveStepInputs(state.tasks)[step] ?? []
  const outputs: Cid[] = []
  for (const j of from) {
    const input = state.steps[j]
    if (input?.status !== 'succeeded' || !input.output) return null
    outputs.push(input.output)
  }
  return outputs
}

/** The sources of a pipeline: its steps with no inputs, started when it is submitted. */
export function startSources(state: PipelineState): Evolution {
  const inputs = resolveStepInputs(state.tasks)
  const effects = inputs.flatMap((from, step) => (from.length === 0 ? [startEffect(state, step, [])] : []))
  return evolved(state, { effects })
}

/**
 * What follows a step's success: every pending step whose inputs have now all succeeded
 * starts (effects, in document order); once every step has succeeded, the pipeline ends with
 * the output of its last task.
 */
export function afterStep(state: PipelineState, step: number): Evolution {
  const consumers = resolveStepConsumers(resolveStepInputs(state.tasks))[step] ?? []
  const effects: PipelineEffect[] = []
  for (const next of consumers) {
    if (state.steps[next]?.status !== 'pending') continue
    const outputs = inputOutputs(state, next)
    if (outputs) effects.push(startEffect(state, next, outputs))
  }
  if (effects.length > 0) return evolved(state, { effects })
  if (!state.steps.every((s) => s.status === 'succeeded')) return evolved(state)
  const output = state.steps[state.steps.length - 1]?.output
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
