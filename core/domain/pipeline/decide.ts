import type { DomainEvent } from '../events.ts'
import type { UnitRef } from '../ids.ts'
import type { OrderReport } from '../messages.ts'
import { isInFlight, type PipelineState, type StepState, type UnitState } from './state.ts'

/**
 * Turns a worker's report about one unit attempt into the events to log. A repeat of a
 * report already recorded gives none (the monitor still acknowledges it); a report for an
 * attempt that is no longer current gives `UnitReportIgnored`.
 */
export function decideReport(state: PipelineState, unit: UnitRef, report: OrderReport): DomainEvent[] {
  if (state.status !== 'active') return []
  const { step, shard, attempt } = unit
  const current = state.steps[step]?.units.find((u) => u.shard === shard)
  const isFinal =
    report.type === 'OrderSucceeded' || report.type === 'OrderFailed' || report.type === 'OrderCancelled'
  if (!current) {
    return isFinal
      ? [{ type: 'UnitReportIgnored', data: { step, shard, attempt, reason: 'unknown order' } }]
      : []
  }
  const isCurrent = current.attempt === attempt && isInFlight(current)
  if (!isCurrent) {
    if (!isFinal || (current.attempt === attempt && current.status !== 'queued')) return []
    if (current.reported?.includes(attempt)) return [] // a copy of a report already recorded
    const reason =
      attempt < current.attempt
        ? `superseded attempt (current is ${current.attempt})`
        : `attempt not in flight (${current.status})`
    return [{ type: 'UnitReportIgnored', data: { step, shard, attempt, reason } }]
  }
  const started: DomainEvent[] =
    current.status === 'dispatched' && current.orderId
      ? [
          {
            type: 'UnitStarted',
            data: { step, shard, attempt, orderId: current.orderId, worker: report.workerId },
          },
        ]
      : []
  switch (report.type) {
    case 'OrderReceived':
      return started
    case 'OrderProgress':
      return [
        ...started,
        {
          type: 'UnitProgressed',
          data: { step, shard, attempt, done: report.done, total: report.total, unit: report.unit },
        },
      ]
    case 'OrderSucceeded':
      return [
        ...started,
        {
          type: 'UnitSucceeded',
          data: { step, shard, attempt, output: report.output, refs: report.refs, stats: report.stats },
        },
      ]
    case 'OrderFailed':
      return [
        ...started,
        {
          type: 'UnitFailed',
          data: { step, shard, attempt, error: report.error, retryable: report.retryable },
        },
      ]
    case 'OrderCancelled':
      // A worker handed the unit back: before starting it (it was full) or while shutting down.
      // Another attempt runs it; one that never started does not count towards the limit.
      if (current.status === 'dispatched') {
        return [
          {
            type: 'UnitFailed',
            data: {
              step,
              shard,
              attempt,
              error: `handed back unstarted by worker ${report.workerId}`,
              retryable: true,
            },
          },
        ]
      }
      return [
        {
          type: 'UnitFailed',
          data: { step, shard, attempt, error: `handed back by worker ${report.workerId}`, retryable: true },
        },
      ]
  }
}

/** A unit waiting for a dispatch slot, with the lane it needs. */
export interface ReadyUnit {
  step: number
  unit: UnitState
  lane: string
}

/** When a queued unit may go: at or after an ISO time, or as a clock in the monitor decides. */
export type DueCheck = string | ((step: number, unit: UnitState) => boolean)

/** Units that may be dispatched now (queued, and past any retry backoff), oldest step first. */
export function readyUnits(state: PipelineState, now: DueCheck): ReadyUnit[] {
  if (state.status !== 'active') return []
  const isDue =
    typeof now === 'string' ? (_: number, u: UnitState) => u.notBefore === null || u.notBefore <= now : now
  const out: ReadyUnit[] = []
  for (const step of state.steps) {
    if (step.status !== 'running') continue
    const lane = state.tasks[step.index]?.lane ?? 'default'
    for (const unit of step.units) {
      if (unit.status === 'queued' && isDue(step.index, unit)) out.push({ step: step.index, unit, lane })
    }
  }
  return out
}

/** How long a step has run, ms: from an ISO time, or as a clock in the monitor measures it. */
export type Elapsed = string | ((step: StepState) => number)

/** Steps that have run past their timeout, as the events that fail them. */
export function decideTimeouts(state: PipelineState, now: Elapsed): DomainEvent[] {
  if (state.status !== 'active') return []
  const elapsed = typeof now === 'string' ? (s: StepState) => Date.parse(now) - Date.parse(s.startedAt!) : now
  const out: DomainEvent[] = []
  for (const step of state.steps) {
    if ((step.status !== 'running' && step.status !== 'joined') || step.startedAt === null) continue
    const timeoutMs = state.tasks[step.index]?.timeoutMs ?? Infinity
    if (elapsed(step) > timeoutMs) {
      out.push({ type: 'StepFailed', data: { step: step.index, error: `timed out after ${timeoutMs} ms` } })
    }
  }
  return out
}
