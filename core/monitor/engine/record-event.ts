import {
  BanzaiError,
  type DomainEvent,
  evolveDetail,
  FINAL_EVENTS,
  type PipelineEffect,
  type PipelineDetail,
  type PipelineId,
  stepPipeline,
} from '../../domain/index.ts'
import { CHECKPOINT_EVERY } from '../pipeline-table.ts'
import type { Actor, Actors } from './actor.ts'
import type { Clock } from './clock.ts'
import { type MonotonicTimes, stepKey, unitKey } from './monotonic-times.ts'
import type { Tick } from './tick.ts'

/** Records an event of a live pipeline in the tick, steps its machine and projects it; then follows up. */
export type RecordEvent = (tick: Tick, pipelineId: PipelineId, event: DomainEvent) => Promise<void>

/** What recording an event uses. */
export interface RecorderDeps {
  actors: Actors
  times: MonotonicTimes
  clock: Clock
  /** The highest committed seq (the tick's events come after it). */
  committedSeq: () => number
  /** Carries out one effect the machine asked for. */
  carryOut: (tick: Tick, actor: Actor, effect: PipelineEffect) => Promise<void>
  /** Settles the steps that joined a leader whose step or pipeline ended. */
  settleFollowers: (tick: Tick, leaderId: PipelineId) => Promise<void>
  /** Stages a checkpoint copy of a detail in the tick (every CHECKPOINT_EVERY events of a pipeline). */
  saveCheckpoint: (tick: Tick, detail: PipelineDetail) => void
}

/** Events after which steps that joined this pipeline's steps may be settled. */
const LEADER_ENDS = new Set<DomainEvent['type']>([
  'StepSucceeded',
  'StepFailed',
  'PipelineFailed',
  'PipelineCancelled',
])

/**
 * Makes `recordEvent`: stages the event (seq, pipelineSeq, time) in the tick, steps the
 * pipeline's machine and its projection, carries out the machine's effects, records the
 * events that follow (in order, each followed up the same way), then settles followers.
 */
export function createEventRecorder(deps: RecorderDeps): RecordEvent {
  const recordEvent: RecordEvent = async (tick, pipelineId, event) => {
    const actor = deps.actors.get(pipelineId)
    if (!actor)
      throw new BanzaiError('bug', `event ${event.type} for pipeline ${pipelineId}, which is not live`)
    tick.touch(pipelineId, actor)
    const stored = {
      ...event,
      seq: deps.committedSeq() + tick.events.length + 1,
      pipelineId,
      pipelineSeq: (actor.detail?.pipelineSeq ?? 0) + 1,
      at: tick.at(deps.clock),
    }
    const { snapshot, events, effects } = stepPipeline(actor.snapshot, event, stored.at)
    actor.snapshot = snapshot
    const detail = evolveDetail(actor.detail, stored)
    actor.detail = detail
    // Rows may be written later than this event (SnapshotSchedule); the checkpoint is kept now.
    if (detail.pipelineSeq % CHECKPOINT_EVERY === 0) deps.saveCheckpoint(tick, detail)
    actor.lastSeq = stored.seq
    tick.events.push(stored)
    if (event.type === 'StepStarted' || event.type === 'StepJoined')
      deps.times.record(pipelineId, stepKey(event.data.step))
    if (event.type === 'UnitRetryScheduled') {
      const d = event.data
      deps.times.record(
        pipelineId,
        unitKey(d.step, d.shard, d.attempt),
        Date.parse(d.notBefore) - Date.parse(stored.at),
      )
    }
    if (FINAL_EVENTS.has(event.type)) tick.finished.add(pipelineId)
    // Effects first, then the events that follow: the order the machine's decisions had before.
    for (const effect of effects) await deps.carryOut(tick, actor, effect)
    for (const next of events) await recordEvent(tick, pipelineId, next)
    if (LEADER_ENDS.has(event.type)) await deps.settleFollowers(tick, pipelineId)
  }
  return recordEvent
}
