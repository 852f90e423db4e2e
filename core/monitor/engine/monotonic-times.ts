import type { PipelineId, StepState, UnitState } from '../../domain/index.ts'
import type { Clock } from './clock.ts'

/**
 * The monotonic side of the times logged as wall-clock ISO strings: when a step started and
 * when a retry is due. Events keep wall time (for people); the scheduler measures durations
 * monotonically, so a wall-clock jump neither times a step out early nor delays a retry.
 * Times logged before a restart are mapped from wall time once, on first use.
 */
export class MonotonicTimes {
  /** By pipeline, so that forgetting one ended pipeline costs its own keys only. */
  private readonly times = new Map<PipelineId, Map<string, number>>()

  constructor(private readonly clock: Clock) {}

  private of(pipelineId: PipelineId): Map<string, number> {
    let times = this.times.get(pipelineId)
    if (!times) {
      times = new Map()
      this.times.set(pipelineId, times)
    }
    return times
  }

  /** Notes that the thing named `key` (stepKey, unitKey) of a pipeline happened now, or is due `delayMs` from now. */
  record(pipelineId: PipelineId, key: string, delayMs = 0): void {
    this.of(pipelineId).set(key, this.clock.monotonic() + delayMs)
  }

  /** Forgets what a pipeline recorded (it ended). */
  forget(pipelineId: PipelineId): void {
    this.times.delete(pipelineId)
  }

  private monoOf(pipelineId: PipelineId, key: string, iso: string): number {
    const times = this.of(pipelineId)
    let mono = times.get(key)
    if (mono === undefined) {
      mono = this.clock.monotonic() - (this.clock.wall() - Date.parse(iso))
      times.set(key, mono)
    }
    return mono
  }

  /** Milliseconds a step has run. */
  elapsed(pipelineId: PipelineId, step: StepState): number {
    return (
      this.clock.monotonic() -
      this.monoOf(
        pipelineId,
        stepKey(step.index),
        step.startedAt ?? new Date(this.clock.wall()).toISOString(),
      )
    )
  }

  /** Whether a queued unit's retry backoff is over. */
  isDue(pipelineId: PipelineId, step: number, unit: UnitState): boolean {
    if (unit.notBefore === null) return true
    return (
      this.clock.monotonic() >=
      this.monoOf(pipelineId, unitKey(step, unit.shard, unit.attempt), unit.notBefore)
    )
  }
}

/** The key of a step's start, within its pipeline. */
export function stepKey(step: number): string {
  return `s${step}`
}

/** The key of a unit attempt's due time, within its pipeline. */
export function unitKey(step: number, shard: number, attempt: number): string {
  return `u${step}.${shard}.${attempt}`
}
