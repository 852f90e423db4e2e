import type { TaskDetail } from '../core/domain/index.ts'

/**
 * How `run --follow` names a step: `index CALL`, and for a graph (SPEC §2 v3) its id and the
 * branches it takes its input from (`← fetch_a, fetch_b`; `(source)` for none), so parallel
 * branches read as such.
 */
export function stepLabel(task: TaskDetail, tasks: readonly TaskDetail[]): string {
  const base = `${task.index} ${task.call}`
  if (task.inputs === undefined) return base.padEnd(18)
  const name = (i: number) => tasks[i]?.id ?? String(i)
  const from = task.inputs.length === 0 ? '(source)' : `← ${task.inputs.map(name).join(', ')}`
  return `${base} ${task.id ?? ''} ${from}`.padEnd(44)
}
