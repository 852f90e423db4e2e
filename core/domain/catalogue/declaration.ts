import { z } from 'zod'
import type { FieldError } from '../errors.ts'
import { type ArgDecl, checkShape, describeValue, shapeToZod } from './arg-shape.ts'

/** What flows along a graph edge (SPEC §2 v3): nothing, a dataset manifest or a model document. */
export type DataKind = 'none' | 'dataset' | 'model'

/** What the monitor and the API know of a task: everything but its implementation. */
export interface TaskDeclaration {
  name: string
  /** Bumped whenever the output for the same input changes; part of every memo key. */
  version: number
  lane: string
  doc: string
  args: ArgDecl[]
  /** Maps over a dataset's items; the monitor may split it into shards. */
  perItem: boolean
  /** Fields a perItem task writes onto each item, and which of them are CIDs. */
  itemFields?: { fields: string[]; refs: string[] }
  /** Depends on the outside world (a download): never a memo hit by args alone. */
  external: boolean
  /** Whether the first argument is the previous step's output (false: ignores its input). */
  needsInput: boolean
  /** Kinds of input the task takes; `none` means it may run as a source. */
  accepts: DataKind[]
  /** Kind of its output; `input` for a pass-through (the kind of what it was given). */
  produces: DataKind | 'input'
  /** Default step timeout, ms. */
  timeoutMs: number
  /** Checks that involve several arguments (e.g. numcep ≤ nfilt). */
  checkArgs?: (args: unknown[], path: string) => FieldError[]
}

/** Validates positional arguments against a declaration; returns every error found. */
export function checkArgs(decl: TaskDeclaration, args: unknown[], path: string): FieldError[] {
  const out: FieldError[] = []
  const fixed = decl.args.filter((a) => !a.rest)
  const rest = decl.args.find((a) => a.rest)
  const required = fixed.filter((a) => !a.optional).length + (rest && !rest.optional ? 1 : 0)
  const max = rest ? Infinity : fixed.length
  if (args.length < required || args.length > max) {
    const names = decl.args.map((a) => (a.rest ? `...${a.name}` : a.optional ? `[${a.name}]` : a.name))
    const expected =
      max === Infinity ? `at least ${required}` : required === max ? `${max}` : `${required} to ${max}`
    out.push({
      path: `${path}.args`,
      message: `${path}.args must hold ${expected} argument${max === 1 ? '' : 's'} (${decl.name}(${names.join(', ')})), got ${args.length}`,
    })
    return out
  }
  args.forEach((arg, i) => {
    const argDecl = decl.args[i] ?? rest
    if (!argDecl) return
    checkShape(argDecl.shape, arg, `${path}.args[${i}]`, argDecl.name, out)
  })
  if (out.length === 0 && decl.checkArgs) out.push(...decl.checkArgs(args, path))
  return out
}

/** A cross-argument error, worded like the single-argument ones. */
export function argError(path: string, index: number, name: string, rule: string, got: unknown): FieldError {
  const at = `${path}.args[${index}]`
  return { path: at, message: `${at} (${name}) must be ${rule}, got ${describeValue(got)}` }
}

/** The declaration as JSON (with arg schemas as JSON Schema), for `GET /api/tasks`. */
export function describeDeclaration(decl: TaskDeclaration): Record<string, unknown> {
  return {
    name: decl.name,
    version: decl.version,
    lane: decl.lane,
    doc: decl.doc,
    perItem: decl.perItem,
    external: decl.external,
    accepts: decl.accepts,
    produces: decl.produces,
    timeoutMs: decl.timeoutMs,
    args: decl.args.map((a) => ({
      name: a.name,
      doc: a.doc,
      optional: a.optional ?? false,
      rest: a.rest ?? false,
      schema: z.toJSONSchema(shapeToZod(a.shape), { unrepresentable: 'any' }),
    })),
  }
}
