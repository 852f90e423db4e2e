import type { FieldProblem } from '../../api/problem.ts'

/** Where a validation error points in a pipeline document. */
export type ErrorPlace =
  | { at: 'document'; field: string | null }
  | { at: 'task'; task: number; field: string | null }
  | { at: 'arg'; task: number; arg: number }

/**
 * Reads an error path of the API (`tasks[2].args[0]`, `tasks[1].call`, `name`; a bare-array
 * document may say `[2].args[0]`) as a place in the document.
 */
export function placeError(path: string): ErrorPlace {
  const m = /^(?:tasks)?\[(\d+)\](?:\.([A-Za-z]+)(?:\[(\d+)\])?)?/.exec(path)
  if (!m) return { at: 'document', field: path.split(/[.[]/)[0] || null }
  const task = Number(m[1])
  if (m[2] === 'args' && m[3] !== undefined) return { at: 'arg', task, arg: Number(m[3]) }
  return { at: 'task', task, field: m[2] ?? null }
}

/** Errors sorted by where they belong, ready to be shown beside each field. */
export interface PlacedErrors {
  document: FieldProblem[]
  task(index: number): FieldProblem[]
  arg(task: number, arg: number): FieldProblem[]
}

/** Groups a problem's field errors by document, task and argument. */
export function placeErrors(errors: readonly FieldProblem[]): PlacedErrors {
  const document: FieldProblem[] = []
  const tasks = new Map<number, FieldProblem[]>()
  const args = new Map<string, FieldProblem[]>()
  for (const error of errors) {
    const place = placeError(error.path)
    if (place.at === 'document') document.push(error)
    else if (place.at === 'task') tasks.set(place.task, [...(tasks.get(place.task) ?? []), error])
    else args.set(`${place.task}.${place.arg}`, [...(args.get(`${place.task}.${place.arg}`) ?? []), error])
  }
  return {
    document,
    task: (i) => tasks.get(i) ?? [],
    arg: (t, a) => args.get(`${t}.${a}`) ?? [],
  }
}
