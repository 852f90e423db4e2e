import { z } from 'zod'
import { describeValue } from './catalogue/arg-shape.ts'
import { type Catalogue, checkArgs } from './catalogue/index.ts'
import { type FieldError, ValidationError } from './errors.ts'
import { Lane } from './ids.ts'
import { PipelineDocumentObject, TaskInput } from './pipeline-document.ts'
import { checkGraph } from './pipeline-spec-graph.ts'

/** A task as recorded in `PipelineSubmitted`: its declaration resolved. */
export const ResolvedTask = z.object({
  call: z.string(),
  args: z.array(z.unknown()),
  version: z.number().int(),
  lane: z.string(),
  timeoutMs: z.number().int().positive(),
  /** v3 graphs: the task's id and the ids of its inputs, as written (absent on older logs). */
  id: z.string().optional(),
  inputs: z.array(z.string()).optional(),
})
export type ResolvedTask = z.infer<typeof ResolvedTask>

/** A validated pipeline document. */
export interface PipelineSpec {
  name: string
  tasks: ResolvedTask[]
  labels: Record<string, string>
  cache: boolean
}

const MAX_TASKS = 100
// The known fields come from the document's one schema, so the checks and the OpenAPI description agree.
const TASK_KEYS = Object.keys(TaskInput.shape)
const DOC_KEYS = Object.keys(PipelineDocumentObject.shape)

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function checkTask(task: unknown, i: number, catalogue: Catalogue, out: FieldError[]): ResolvedTask | null {
  const path = `tasks[${i}]`
  if (!isRecord(task)) {
    out.push({ path, message: `${path} must be an object {"call", "args"}, got ${describeValue(task)}` })
    return null
  }
  for (const key of Object.keys(task)) {
    if (!TASK_KEYS.includes(key))
      out.push({
        path: `${path}.${key}`,
        message: `${path}.${key} is not a known field (known: ${TASK_KEYS.join(', ')})`,
      })
  }
  const call = task.call
  const decl = typeof call === 'string' ? catalogue.get(call) : undefined
  if (!decl) {
    const known = [...catalogue.keys()].join(', ')
    out.push({
      path: `${path}.call`,
      message: `${path}.call must be a known task (${known}), got ${describeValue(call)}`,
    })
    return null
  }
  const args = task.args === undefined ? [] : task.args
  if (!Array.isArray(args)) {
    out.push({ path: `${path}.args`, message: `${path}.args must be an array, got ${describeValue(args)}` })
    return null
  }
  const before = out.length
  out.push(...checkArgs(decl, args, path))
  let lane = decl.lane
  if (task.lane !== undefined) {
    if (Lane.safeParse(task.lane).success) lane = task.lane as string
    else
      out.push({
        path: `${path}.lane`,
        message: `${path}.lane must be a lowercase lane name like "gpu", got ${describeValue(task.lane)}`,
      })
  }
  let timeoutMs = decl.timeoutMs
  if (task.timeoutMs !== undefined) {
    if (
      z
        .number()
        .int()
        .min(1)
        .max(7 * 86_400_000)
        .safeParse(task.timeoutMs).success
    )
      timeoutMs = task.timeoutMs as number
    else
      out.push({
        path: `${path}.timeoutMs`,
        message: `${path}.timeoutMs must be an integer between 1 and 604800000 (ms), got ${describeValue(task.timeoutMs)}`,
      })
  }
  const graph: Pick<ResolvedTask, 'id' | 'inputs'> = {}
  if (task.id !== undefined) {
    const id = TaskInput.shape.id.safeParse(task.id)
    if (id.success && id.data !== undefined) graph.id = id.data
    else
      out.push({
        path: `${path}.id`,
        message: `${path}.id must be 1 to 64 letters, digits, "_" or "-", got ${describeValue(task.id)}`,
      })
  }
  if (task.inputs !== undefined) {
    const inputs = z.array(z.string()).max(MAX_TASKS).safeParse(task.inputs)
    if (inputs.success) graph.inputs = inputs.data
    else
      out.push({
        path: `${path}.inputs`,
        message: `${path}.inputs must be an array of task ids, got ${describeValue(task.inputs)}`,
      })
  }
  if (out.length > before) return null
  return { call: decl.name, args, version: decl.version, lane, timeoutMs, ...graph }
}

/**
 * Validates a pipeline document in either form of SPEC §2 (the seed's bare array, or
 * `{name, tasks, labels, cache}`) against the catalogue. Throws a ValidationError listing
 * every problem, each naming the task index, the field and the rule.
 */
export function parsePipelineDocument(doc: unknown, catalogue: Catalogue): PipelineSpec {
  const out: FieldError[] = []
  let tasksInput: unknown
  let name: string | undefined
  let labels: Record<string, string> = {}
  let cache = true
  if (Array.isArray(doc)) {
    tasksInput = doc
  } else if (isRecord(doc)) {
    for (const key of Object.keys(doc)) {
      if (!DOC_KEYS.includes(key))
        out.push({ path: key, message: `${key} is not a known field (known: ${DOC_KEYS.join(', ')})` })
    }
    tasksInput = doc.tasks
    if (doc.name !== undefined) {
      if (typeof doc.name === 'string' && doc.name.length >= 1 && doc.name.length <= 200) name = doc.name
      else
        out.push({
          path: 'name',
          message: `name must be a string of 1 to 200 characters, got ${describeValue(doc.name)}`,
        })
    }
    if (doc.labels !== undefined) {
      const parsed = z.record(z.string().min(1).max(100), z.string().max(500)).safeParse(doc.labels)
      if (parsed.success && Object.keys(parsed.data).length <= 50) labels = parsed.data
      else
        out.push({
          path: 'labels',
          message: `labels must be an object of at most 50 string values, got ${describeValue(doc.labels)}`,
        })
    }
    if (doc.cache !== undefined) {
      if (typeof doc.cache === 'boolean') cache = doc.cache
      else
        out.push({ path: 'cache', message: `cache must be true or false, got ${describeValue(doc.cache)}` })
    }
  } else {
    throw new ValidationError('a pipeline document must be an array of tasks or an object with "tasks"', [
      {
        path: '',
        message: `the document must be an array of tasks or {"name", "tasks"}, got ${describeValue(doc)}`,
      },
    ])
  }
  const tasks: ResolvedTask[] = []
  if (!Array.isArray(tasksInput) || tasksInput.length === 0 || tasksInput.length > MAX_TASKS) {
    out.push({
      path: 'tasks',
      message: `tasks must be an array of 1 to ${MAX_TASKS} tasks, got ${describeValue(tasksInput)}`,
    })
  } else {
    tasksInput.forEach((task, i) => {
      const resolved = checkTask(task, i, catalogue, out)
      if (resolved) tasks.push(resolved)
    })
    if (out.length === 0) checkGraph(tasks, catalogue, out)
  }
  if (out.length > 0) {
    throw new ValidationError(out.map((e) => e.message).join('; '), out)
  }
  return { name: name ?? tasks.map((t) => t.call).join(' → '), tasks, labels, cache }
}
