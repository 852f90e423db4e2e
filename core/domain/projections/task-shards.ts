import type { Progress, ShardView, TaskDetail, TaskStatus } from './view.ts'

/** A task with one of its shards changed by `fn`, its summary made again. */
export function updateShard(task: TaskDetail, shard: number, fn: (unit: ShardView) => ShardView): TaskDetail {
  const units = task.units.map((u) => (u.shard === shard ? fn(u) : u))
  return summarizeShards({ ...task, units })
}

/**
 * Recomputes a task's shard counts, attempt, worker, progress and status from its shards, in one
 * pass over them with no copies (it runs for every unit event of a pipeline).
 */
export function summarizeShards(task: TaskDetail): TaskDetail {
  const units = task.units
  let succeeded = 0
  let running = 0
  let attempt = task.attempt
  let lastWorker = task.worker
  // Multi-shard progress: the sums, and whether every shard reports progress in one unit.
  let done = 0
  let total = 0
  let withProgress = 0
  let progressUnit: string | null = null
  let sameUnit = true
  for (const u of units) {
    if (u.status === 'succeeded') succeeded++
    else if (u.status === 'running') running++
    if (u.attempt > attempt) attempt = u.attempt
    if (u.worker !== null) lastWorker = u.worker
    const p = u.progress
    total += p?.total ?? 0
    done += u.status === 'succeeded' ? (p?.total ?? 0) : (p?.done ?? 0)
    if (p !== null) {
      withProgress++
      progressUnit ??= p.unit
      if (p.unit !== progressUnit) sameUnit = false
    }
  }
  let status: TaskStatus = task.status
  if (status === 'queued' || status === 'running')
    status = running > 0 || succeeded > 0 ? 'running' : 'queued'
  let progress: Progress | null = task.progress
  if (units.length > 1)
    progress =
      sameUnit && withProgress === units.length
        ? { done, total, unit: progressUnit ?? 'shards' }
        : { done: succeeded, total: units.length, unit: 'shards' }
  else if (units.length === 1) progress = units[0]?.progress ?? null
  return {
    ...task,
    shards: { total: units.length, succeeded, running },
    attempt,
    worker: lastWorker,
    status,
    progress,
  }
}
