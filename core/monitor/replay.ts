import {
  createPipeline,
  evolveDetail,
  type PipelineDetail,
  type PipelineSnapshot,
  type RetryPolicy,
  type StoredEvent,
  stepPipeline,
} from '../domain/index.ts'
import type { EventLog } from './event-log.ts'
import type { PipelineTable } from './pipeline-table.ts'

/** A pipeline rebuilt from the log alone. */
export interface Replayed {
  snapshot: PipelineSnapshot
  detail: PipelineDetail
  /** Follow-up events and effects the machine decided while replaying: counted, never recorded or carried out. */
  decided: number
}

/**
 * Rebuilds every pipeline from zero by feeding the whole log through the machines and the
 * projection reducers. Sends nothing. Throws at the first event a machine cannot accept or
 * at a gap in the sequences.
 */
export function replayFromZero(log: EventLog, policy: RetryPolicy): Map<string, Replayed> {
  const out = new Map<string, Replayed>()
  let expectedSeq = 1
  for (const event of log.readAll()) {
    if (event.seq !== expectedSeq) throw new Error(`seq gap: expected ${expectedSeq}, found ${event.seq}`)
    expectedSeq++
    const current = out.get(event.pipelineId)
    if (!current && event.type !== 'PipelineSubmitted') {
      throw new Error(`pipeline ${event.pipelineId} starts with ${event.type} at seq ${event.seq}`)
    }
    const expectedPipelineSeq = (current?.detail.pipelineSeq ?? 0) + 1
    if (event.pipelineSeq !== expectedPipelineSeq) {
      throw new Error(
        `pipeline ${event.pipelineId}: pipelineSeq ${event.pipelineSeq} where ${expectedPipelineSeq} was expected`,
      )
    }
    const before =
      current?.snapshot ??
      createPipeline({
        id: event.pipelineId,
        submitted: (event as StoredEvent & { type: 'PipelineSubmitted' }).data,
        policy,
      })
    const { snapshot, events, effects } = stepPipeline(before, event, event.at)
    out.set(event.pipelineId, {
      snapshot,
      detail: evolveDetail(current?.detail ?? null, event),
      decided: (current?.decided ?? 0) + events.length + effects.length,
    })
  }
  return out
}

/** Rebuilds one pipeline from its own events (a damaged snapshot row); null when it has none. */
export function replayPipeline(log: EventLog, id: string, policy: RetryPolicy): Replayed | null {
  let current = null as Replayed | null
  let after = 0
  for (;;) {
    const page = log.readPipeline(id, after, 1000)
    for (const event of page) {
      const before =
        current?.snapshot ??
        (event.type === 'PipelineSubmitted'
          ? createPipeline({ id: event.pipelineId, submitted: event.data, policy })
          : null)
      if (!before) throw new Error(`pipeline ${id} starts with ${event.type} at seq ${event.seq}`)
      const { snapshot, events, effects } = stepPipeline(before, event, event.at)
      current = {
        snapshot,
        detail: evolveDetail(current?.detail ?? null, event),
        decided: (current?.decided ?? 0) + events.length + effects.length,
      }
    }
    if (page.length < 1000) return current
    after = page.at(-1)!.pipelineSeq
  }
}

/** The result of an integrity check. */
export interface IntegrityReport {
  events: number
  pipelines: number
  problems: string[]
}

/**
 * Checks the log (sequences gap-free, every history accepted by the machine) and that the
 * stored projections and live machines equal a replay from zero.
 */
export function checkIntegrity(
  log: EventLog,
  pipelines: PipelineTable,
  policy: RetryPolicy,
): IntegrityReport {
  const problems: string[] = []
  let replayed: Map<string, Replayed>
  try {
    replayed = replayFromZero(log, policy)
  } catch (error) {
    return { events: log.lastSeq(), pipelines: 0, problems: [(error as Error).message] }
  }
  for (const id of pipelines.allIds()) {
    const record = pipelines.get(id)!
    const fresh = replayed.get(id)
    if (!fresh) {
      problems.push(`pipeline ${id} has a snapshot but no events`)
      continue
    }
    if (JSON.stringify(fresh.detail) !== JSON.stringify(record.detail))
      problems.push(`pipeline ${id}: stored detail differs from the replay`)
    const live = fresh.snapshot.context.status === 'active'
    if (live !== (record.machine !== null))
      problems.push(`pipeline ${id}: live=${live} but the snapshot says otherwise`)
    if (record.machine && JSON.stringify(record.machine.context) !== JSON.stringify(fresh.snapshot.context)) {
      problems.push(`pipeline ${id}: stored machine differs from the replay`)
    }
  }
  if (replayed.size !== pipelines.allIds().length)
    problems.push(`${replayed.size} pipelines in the log, ${pipelines.allIds().length} snapshots`)
  return { events: log.lastSeq(), pipelines: replayed.size, problems }
}
