import type { PipelineDetail, WorkerInfo } from '../../core/domain/index.ts'

/** Why a task on `lane` cannot start now, or null when some live worker serves that lane. */
export function laneWaiting(lane: string, workers: readonly WorkerInfo[]): string | null {
  return workers.some((w) => w.lanes.includes(lane) && w.refused === undefined)
    ? null
    : `waiting for a worker on lane ${lane}`
}

/** The detail with `waiting` on each queued task whose lane no live worker serves (SPEC §5: it waits, spending nothing). */
export function withLaneWaiting(detail: PipelineDetail, workers: readonly WorkerInfo[]): PipelineDetail {
  if (!detail.tasks.some((t) => t.status === 'queued')) return detail
  return {
    ...detail,
    tasks: detail.tasks.map((t) => {
      const waiting = t.status === 'queued' ? laneWaiting(t.lane, workers) : null
      return waiting === null ? t : { ...t, waiting }
    }),
  }
}

/** The lanes of a pipeline's tasks that no live worker serves, each once, in task order. */
export function unservedLanes(detail: PipelineDetail, workers: readonly WorkerInfo[]): string[] {
  return [...new Set(detail.tasks.map((t) => t.lane))].filter((lane) => laneWaiting(lane, workers) !== null)
}
