import type { TaskDetail } from '../core/domain/index.ts'

/** A duration as `4.2 s`, `3 min 05 s` or `1 h 02 min`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
}

/** A byte count as `512 B`, `1.4 MB`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = n
  let unit = 'B'
  for (const u of units) {
    if (value < 1000) break
    value /= 1000
    unit = u
  }
  return `${value.toFixed(1)} ${unit}`
}

function amount(done: number, total: number, unit: string): string {
  // FETCH's unit may name its zip: `bytes (zip 2/3)`.
  if (unit === 'bytes' || unit.startsWith('bytes '))
    return `${formatBytes(done)}/${formatBytes(total)}${unit.slice(5)}`
  return `${done}/${total} ${unit}`
}

/** How long a task has run (or ran), in ms; null before it started. */
export function elapsedMs(task: TaskDetail, now: number): number | null {
  if (!task.startedAt) return null
  const end = task.endedAt ? Date.parse(task.endedAt) : now
  return end - Date.parse(task.startedAt)
}

/** The estimated time left of a running task, in ms, from its rate so far; null when unknown. */
export function etaMs(task: TaskDetail, now: number): number | null {
  const p = task.progress
  const elapsed = elapsedMs(task, now)
  if (task.status !== 'running' || !p || p.total <= 0 || p.done <= 0 || elapsed === null) return null
  return (elapsed * Math.max(0, p.total - p.done)) / p.done
}

/** One task's state in a line (withTimes: with elapsed time and ETA): `running 1.2 MB/3.4 MB, 2/4 shards, 3.0 s elapsed, ETA 5.1 s`. */
export function describeTask(task: TaskDetail, now: number, withTimes = true): string {
  const parts: string[] = []
  const p = task.progress
  if (p && p.total > 0 && task.status !== 'succeeded') parts.push(amount(p.done, p.total, p.unit))
  if (task.shards.total > 1 && p?.unit !== 'shards')
    parts.push(`${task.shards.succeeded}/${task.shards.total} shards`)
  const elapsed = withTimes ? elapsedMs(task, now) : null
  if (elapsed !== null && !task.cacheHit)
    parts.push(`${formatDuration(elapsed)}${task.endedAt ? '' : ' elapsed'}`)
  const eta = withTimes ? etaMs(task, now) : null
  if (eta !== null) parts.push(`ETA ${formatDuration(eta)}`)
  const cached = task.cacheHit ? ' (cached)' : ''
  const error = task.error ? ` — ${task.error}` : ''
  return `${task.status}${cached}${parts.length ? ` ${parts.join(', ')}` : ''}${error}`
}

/** The bar's fill, 0 to 1: never full before the task has succeeded. */
export function barFraction(task: TaskDetail): number {
  if (task.status === 'succeeded') return 1
  const p = task.progress
  if (!p || p.total <= 0) return 0
  return Math.min(0.99, p.done / p.total)
}
