import type { Catalogue, DataKind } from './catalogue/index.ts'
import type { FieldError } from './errors.ts'

/** The graph fields of a task, as written or as recorded in `PipelineSubmitted` (both optional). */
export interface GraphTask {
  call: string
  id?: string | undefined
  inputs?: string[] | undefined
}

/**
 * The steps each step takes its input from, by index (SPEC §2 v3): the listed `inputs` in
 * order; with none listed, the previous step (none for the first). Unknown ids are dropped
 * (validation has rejected them before anything is recorded).
 */
export function resolveStepInputs(tasks: readonly GraphTask[]): number[][] {
  const byId = new Map<string, number>()
  tasks.forEach((t, i) => {
    if (t.id !== undefined && !byId.has(t.id)) byId.set(t.id, i)
  })
  return tasks.map((t, i) => {
    if (t.inputs === undefined) return i === 0 ? [] : [i - 1]
    return t.inputs.flatMap((id) => {
      const at = byId.get(id)
      return at === undefined ? [] : [at]
    })
  })
}

/** The steps that take a step's output, by index, in document order. */
export function resolveStepConsumers(inputs: readonly number[][]): number[][] {
  const out: number[][] = inputs.map(() => [])
  inputs.forEach((from, i) => {
    for (const j of new Set(from)) out[j]?.push(i)
  })
  return out
}

/** How a task is named in messages: `tasks[2] ("mfcc")`. */
function taskName(tasks: readonly GraphTask[], i: number): string {
  const id = tasks[i]?.id
  return id === undefined ? `tasks[${i}]` : `tasks[${i}] ("${id}")`
}

/** Ids: unique; inputs: known ids, not the task itself, not twice. */
function checkIds(tasks: readonly GraphTask[], out: FieldError[]): void {
  const seen = new Map<string, number>()
  tasks.forEach((t, i) => {
    if (t.id === undefined) return
    const first = seen.get(t.id)
    if (first !== undefined)
      out.push({
        path: `tasks[${i}].id`,
        message: `tasks[${i}].id must be unique, got "${t.id}" (already the id of tasks[${first}])`,
      })
    else seen.set(t.id, i)
  })
  tasks.forEach((t, i) => {
    const listed = new Set<string>()
    t.inputs?.forEach((id, k) => {
      const path = `tasks[${i}].inputs[${k}]`
      if (!seen.has(id)) {
        const known = [...seen.keys()].map((x) => `"${x}"`).join(', ') || 'none'
        out.push({ path, message: `${path} must be the id of another task (known: ${known}), got "${id}"` })
      } else if (seen.get(id) === i)
        out.push({ path, message: `${path} must not be the task itself ("${id}")` })
      else if (listed.has(id))
        out.push({ path, message: `${path} must not repeat an input, got "${id}" twice` })
      listed.add(id)
    })
  })
}

/** A cycle through explicit inputs, as the step indices around it, or null. */
function findCycle(inputs: readonly number[][]): number[] | null {
  const state = inputs.map(() => 0) // 0 unseen, 1 on the path, 2 done
  const path: number[] = []
  const visit = (i: number): number[] | null => {
    state[i] = 1
    path.push(i)
    for (const j of inputs[i] ?? []) {
      if (state[j] === 1) return [...path.slice(path.indexOf(j)), j]
      if (state[j] === 0) {
        const found = visit(j)
        if (found) return found
      }
    }
    path.pop()
    state[i] = 2
    return null
  }
  for (let i = 0; i < inputs.length; i++) {
    if (state[i] !== 0) continue
    const found = visit(i)
    if (found) return found
  }
  return null
}

/** Indices in an order where every step comes after its inputs (the graph has no cycle). */
function topologicalOrder(inputs: readonly number[][]): number[] {
  const order: number[] = []
  const done = new Set<number>()
  const visit = (i: number): void => {
    if (done.has(i)) return
    done.add(i)
    for (const j of inputs[i] ?? []) visit(j)
    order.push(i)
  }
  inputs.forEach((_, i) => visit(i))
  return order
}

/**
 * Checks the graph of a document whose tasks each passed their own checks (SPEC §2 v3):
 * unique ids, known inputs, no cycle, and every input of a kind its task accepts. Pushes
 * each problem onto `out`, naming the task and the input.
 */
export function checkGraph(tasks: readonly GraphTask[], catalogue: Catalogue, out: FieldError[]): void {
  const before = out.length
  checkIds(tasks, out)
  if (out.length > before) return
  const inputs = resolveStepInputs(tasks)
  const cycle = findCycle(inputs)
  if (cycle) {
    const [to, from] = [cycle[cycle.length - 1]!, cycle[cycle.length - 2]!]
    const k = tasks[from]?.inputs?.indexOf(tasks[to]?.id ?? '') ?? 0
    const around = [...cycle].reverse().map((i) => tasks[i]?.id ?? `tasks[${i}]`)
    out.push({
      path: `tasks[${from}].inputs[${k}]`,
      message: `tasks[${from}].inputs[${k}] makes a cycle: ${around.join(' → ')}`,
    })
    return
  }
  const kinds: DataKind[] = tasks.map(() => 'none')
  for (const i of topologicalOrder(inputs)) {
    const decl = catalogue.get(tasks[i]!.call)
    if (!decl) continue
    const from = inputs[i]!
    const explicit = tasks[i]!.inputs !== undefined
    const given = from.map((j) => kinds[j]!)
    // An implicit input (the previous task) of a task that ignores its input is no input at all.
    if (explicit || decl.needsInput) {
      given.forEach((kind, k) => {
        // A list document's task after one that gives nothing keeps its v2 meaning: it fails at run time.
        if (!explicit && kind === 'none') return
        if (decl.accepts.includes(kind)) {
          if (from.length > 1 && kind !== 'dataset') {
            const path = explicit ? `tasks[${i}].inputs[${k}]` : `tasks[${i}]`
            out.push({
              path,
              message: `${path}: several inputs must all be datasets, ${taskName(tasks, from[k]!)} gives a ${kind}`,
            })
          }
          return
        }
        const path = explicit ? `tasks[${i}].inputs[${k}]` : `tasks[${i}]`
        const got = kind === 'none' ? 'no output' : `a ${kind}`
        out.push({
          path,
          message: `${path}: ${decl.name} accepts ${decl.accepts.join(' or ')}, but ${taskName(tasks, from[k]!)} (${tasks[from[k]!]!.call}) gives ${got}`,
        })
      })
      if (explicit && from.length === 0 && !decl.accepts.includes('none'))
        out.push({
          path: `tasks[${i}].inputs`,
          message: `tasks[${i}].inputs must name an input: ${decl.name} accepts ${decl.accepts.join(' or ')}, not none`,
        })
    }
    kinds[i] = decl.produces === 'input' ? (given[0] ?? 'none') : decl.produces
  }
}
