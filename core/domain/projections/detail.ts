import { assertNever } from '../errors.ts'
import type { StoredEvent } from '../events.ts'
import { resolveStepInputs } from '../pipeline-spec-graph.ts'
import { summarizeShards, updateShard } from './task-shards.ts'
import type { PipelineDetail, ShardView, TaskDetail, TaskStatus } from './view.ts'

function updateTask(
  detail: PipelineDetail,
  step: number,
  fn: (task: TaskDetail) => TaskDetail,
): PipelineDetail {
  return { ...detail, tasks: detail.tasks.map((t) => (t.index === step ? fn(t) : t)) }
}

function endTask(
  task: TaskDetail,
  status: TaskStatus,
  at: string,
  patch: Partial<TaskDetail> = {},
): TaskDetail {
  const units = task.units.map((u) =>
    u.status === 'succeeded' || u.status === 'failed' ? u : { ...u, status },
  )
  return { ...task, ...patch, status, endedAt: at, units }
}

/** The detail of a pipeline right after its `PipelineSubmitted` event. */
export function initialDetail(event: StoredEvent & { type: 'PipelineSubmitted' }): PipelineDetail {
  const tasks = event.data.tasks
  const isGraph = tasks.some((t) => t.id !== undefined || t.inputs !== undefined)
  const inputs = resolveStepInputs(tasks)
  return {
    id: event.pipelineId,
    name: event.data.name,
    status: 'queued',
    createdAt: event.at,
    updatedAt: event.at,
    pipelineSeq: event.pipelineSeq,
    retryOf: event.data.retryOf ?? null,
    labels: event.data.labels,
    cache: event.data.cache,
    output: null,
    error: null,
    tasks: tasks.map((t, index) => ({
      index,
      ...(isGraph ? { id: t.id ?? null, inputs: inputs[index] ?? [] } : {}),
      call: t.call,
      args: t.args,
      lane: t.lane,
      status: 'pending',
      attempt: 0,
      worker: null,
      startedAt: null,
      endedAt: null,
      progress: null,
      shards: { total: 0, succeeded: 0, running: 0 },
      cacheHit: false,
      output: null,
      error: null,
      units: [],
      joined: null,
      cachedFrom: null,
    })),
  }
}

/**
 * The projection reducer of `GET /pipelines/:id`: the detail after one more event. Pure and
 * shared by the server and the dashboard's replay. `detail` is null only before
 * `PipelineSubmitted`.
 */
export function evolveDetail(detail: PipelineDetail | null, event: StoredEvent): PipelineDetail {
  if (event.type === 'PipelineSubmitted') return initialDetail(event)
  if (detail === null)
    throw new Error(`event ${event.seq} (${event.type}) precedes PipelineSubmitted of ${event.pipelineId}`)
  const next = applyToDetail(detail, event)
  return { ...next, updatedAt: event.at, pipelineSeq: event.pipelineSeq }
}

function applyToDetail(detail: PipelineDetail, event: StoredEvent): PipelineDetail {
  const at = event.at
  switch (event.type) {
    case 'PipelineSubmitted':
      return detail
    case 'StepStarted': {
      const { step, shards } = event.data
      const units: ShardView[] = Array.from({ length: shards }, (_, shard) => ({
        shard,
        attempt: 1,
        status: 'queued',
        worker: null,
        progress: null,
      }))
      return updateTask(detail, step, (t) =>
        summarizeShards({ ...t, status: 'queued', startedAt: t.startedAt ?? at, units, joined: null }),
      )
    }
    case 'StepJoined':
      return updateTask(detail, event.data.step, (t) => ({
        ...t,
        status: 'queued',
        startedAt: at,
        joined: event.data.leader,
      }))
    case 'StepCacheHit': {
      const d = event.data
      const patched = {
        cacheHit: true,
        output: d.output,
        cachedFrom: d.from,
        startedAt: null as string | null,
      }
      return withPipelineRunning(
        updateTask(detail, d.step, (t) =>
          endTask({ ...t, startedAt: t.startedAt ?? at }, 'succeeded', at, {
            ...patched,
            startedAt: t.startedAt ?? at,
          }),
        ),
      )
    }
    case 'UnitDispatched': {
      const d = event.data
      return updateTask(detail, d.step, (t) =>
        updateShard(t, d.shard, (u) => ({
          ...u,
          attempt: d.attempt,
          status: 'queued',
          ...(d.worker ? { worker: d.worker } : {}),
          ...(d.reason ? { reason: d.reason } : {}),
        })),
      )
    }
    case 'UnitStarted':
      return withPipelineRunning(
        updateTask(detail, event.data.step, (t) =>
          updateShard(t, event.data.shard, (u) => ({
            ...u,
            attempt: event.data.attempt,
            status: 'running',
            worker: event.data.worker,
          })),
        ),
      )
    case 'UnitProgressed': {
      const { step, shard, done, total, unit } = event.data
      return updateTask(detail, step, (t) =>
        updateShard(t, shard, (u) => ({ ...u, progress: { done, total, unit } })),
      )
    }
    case 'UnitSucceeded': {
      const d = event.data
      return updateTask(detail, d.step, (t) =>
        updateShard(t, d.shard, (u) => ({
          ...u,
          status: 'succeeded',
          progress: u.progress ? { ...u.progress, done: u.progress.total } : u.progress,
        })),
      )
    }
    case 'UnitFailed':
      return updateTask(detail, event.data.step, (t) => ({ ...t, error: event.data.error }))
    case 'UnitLeaseExpired':
      return updateTask(detail, event.data.step, (t) =>
        updateShard(
          { ...t, error: `lease expired${event.data.worker ? ` on ${event.data.worker}` : ''}` },
          event.data.shard,
          (u) => ({ ...u, status: 'queued' }),
        ),
      )
    case 'UnitWorkerLost':
      return updateTask(detail, event.data.step, (t) =>
        updateShard(
          { ...t, error: `worker ${event.data.worker} lost (${event.data.cause})` },
          event.data.shard,
          (u) => ({ ...u, status: 'queued' }),
        ),
      )
    case 'UnitRetryScheduled':
      return updateTask(detail, event.data.step, (t) =>
        updateShard(t, event.data.shard, (u) => ({
          ...u,
          attempt: event.data.attempt,
          status: 'queued',
          worker: null,
          progress: null,
        })),
      )
    case 'UnitReportIgnored':
      return detail
    case 'StepSucceeded': {
      const d = event.data
      return updateTask(detail, d.step, (t) => {
        const ended = endTask(t, 'succeeded', at, { output: d.output, error: null })
        return {
          ...ended,
          progress: ended.progress ? { ...ended.progress, done: ended.progress.total } : ended.progress,
        }
      })
    }
    case 'StepFailed':
      return updateTask(detail, event.data.step, (t) => endTask(t, 'failed', at, { error: event.data.error }))
    case 'PipelineSucceeded':
      return { ...detail, status: 'succeeded', output: event.data.output }
    case 'PipelineFailed':
      return {
        ...detail,
        status: 'failed',
        error: event.data.error,
        tasks: detail.tasks.map((t) =>
          t.status === 'queued' || t.status === 'running' ? endTask(t, 'cancelled', at) : t,
        ),
      }
    case 'PipelineCancelled':
      return {
        ...detail,
        status: 'cancelled',
        error: event.data.reason,
        tasks: detail.tasks.map((t) =>
          t.status === 'queued' || t.status === 'running' || t.status === 'pending'
            ? endTask(t, 'cancelled', at)
            : t,
        ),
      }
    case 'PipelineDeleted':
      // The pipeline leaves the lists (its row goes); its recorded detail stays what it was.
      return detail
    default:
      return assertNever(event, 'event')
  }
}

function withPipelineRunning(detail: PipelineDetail): PipelineDetail {
  return detail.status === 'queued' ? { ...detail, status: 'running' } : detail
}
