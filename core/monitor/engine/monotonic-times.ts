import type { PipelineId, StepState, UnitState } from '../../domain/index.ts'
import type { Clock } from './clock.ts'

/**
 * The monotonic side of the times logged as wall-clock ISO strings: when a step started and
 * when a retry is due. Events keep wall time (for people); the scheduler measures durations
 * monotonically, so a wall-clock jump neither times a step out early nor delays a retry.
 * Times logged before a restart are mapped from wall time once, on first use.
 */
export class MonotonicTimes {
  private readonly times = new Map<string, number>()

  constructor(private readonly clock: Clock) {}

  /** Notes that the thing named `key` happened now, or is due `delayMs` from now. */
  record(key: string, delayMs = 0): void {
    this.times.set(key, this.clock.monotonic() + delayMs)
  }

  /** Forgets what a pipeline recorded (it ended). */
  forget(pipelineId: PipelineId): void {
    for (const key of this.times.keys()) if (key.startsWith(`${pipelineId}/`)) this.times.delete(key)
  }

  private monoOf(key: string, iso: string): number {
    let mono = this.times.get(key)
    if (mono === undefined) {
      mono = this.clock.monotonic() - (this.clock.wall() - Date.parse(iso))
      this.times.set(key, mono)
    }
    return mono
  }

  /** Milliseconds a step has run. */
  elapsed(pipelineId: PipelineId, step: StepState): number {
    return (
      this.clock.monotonic() -
      this.monoOf(
        stepKey(pipelineId, step.index),
        step.startedAt ?? new Date(this.clock.wall()).toISOString(),
      )
    )
  }

  /** Whether a queued unit's retry backoff is over. */
  isDue(pipelineId: PipelineId, step: number, unit: UnitState): boolean {
    if (unit.notBefore === null) return true
    return (
      this.clock.monotonic() >=
      this.monoOf(unitKey(pipelineId, step, unit.shard, unit.attempt), unit.notBefore)
    )
  }
}

/** The key of a step's start. */
export function stepKey(pipelineId: PipelineId, step: number): string {
  return `${pipelineId}/s${step}`
}

/** The key of a unit attempt's due time. */
export function unitKey(pipelineId: PipelineId, step: number, shard: number, attempt: number): string {
  return `${pipelineId}/u${step}.${shard}.${attempt}`
}
