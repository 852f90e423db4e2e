/** One task of a pipeline document as typed in the form (unchecked: the API validates). */
export interface DraftTask {
  call: unknown
  args: unknown[]
  lane?: unknown
  timeoutMs?: unknown
  /** Graph documents (SPEC §2 v3): the task's id and the ids of its inputs, as typed. */
  id?: unknown
  inputs?: unknown
}

/** What the editor could read of the text. */
export type DraftReading =
  { ok: true; name: string | null; tasks: DraftTask[] } | { ok: false; message: string }

/** The example a new form starts with. */
export const EXAMPLE_DOCUMENT = `{
  "name": "hello",
  "tasks": [
    {"call": "SLEEP", "args": [1500]},
    {"call": "NOOP", "args": []}
  ]
}`

/** Reads the text as either form of SPEC §2 (a bare task list, or `{name, tasks, …}`), for the outline. */
export function readDraft(text: string): DraftReading {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return { ok: false, message: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` }
  }
  const list: unknown = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? (value as { tasks?: unknown }).tasks
      : undefined
  if (!Array.isArray(list))
    return { ok: false, message: 'A pipeline is a list of tasks, or an object with a "tasks" list.' }
  const name =
    !Array.isArray(value) && typeof (value as { name?: unknown }).name === 'string'
      ? (value as { name: string }).name
      : null
  const tasks = list.map((t: unknown): DraftTask => {
    const o = typeof t === 'object' && t !== null ? (t as Record<string, unknown>) : {}
    return {
      call: o.call,
      args: Array.isArray(o.args) ? (o.args as unknown[]) : [],
      lane: o.lane,
      timeoutMs: o.timeoutMs,
      id: o.id,
      inputs: o.inputs,
    }
  })
  return { ok: true, name, tasks }
}

/** The text with one more task at the end (the catalogue's "add" button). */
export function appendTask(text: string, call: string, argCount: number): string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = []
  }
  const task = { call, args: Array.from({ length: argCount }, () => null) }
  if (Array.isArray(value)) return JSON.stringify([...(value as unknown[]), task], null, 2)
  if (typeof value === 'object' && value !== null) {
    const doc = value as { tasks?: unknown }
    const tasks = Array.isArray(doc.tasks) ? (doc.tasks as unknown[]) : []
    return JSON.stringify({ ...doc, tasks: [...tasks, task] }, null, 2)
  }
  return JSON.stringify([task], null, 2)
}
