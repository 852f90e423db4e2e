import { z } from 'zod'
import type { FieldError } from '../errors.ts'
import { type ArgDecl, type ArgsOfDecls, checkShape, describeValue, shapeToZod } from './arg-shape.ts'

/** What flows along a graph edge (SPEC §2 v3): nothing, a dataset manifest or a model document. */
export type DataKind = 'none' | 'dataset' | 'model'

/** What the monitor and the API know of a task: everything but its implementation. */
export interface TaskDeclaration<
  A extends readonly ArgDecl[] = readonly ArgDecl[],
  P extends boolean = boolean,
> {
  name: string
  /** Bumped whenever the output for the same input changes; part of every memo key. */
  version: number
  lane: string
  doc: string
  args: A
  /** Maps over a dataset's items; the monitor may split it into shards. */
  perItem: P
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
  checkArgs?(args: ArgsOfDecls<A>, path: string): FieldError[]
}

/** The parsed arguments of a declaration, as a tuple (`[number, number?]`). */
export type DeclaredArgs<D extends TaskDeclaration> = ArgsOfDecls<D['args']>

/** Declares an argument list on its own, as a tuple (for a `checkArgs` typed by it). */
export function declareArgs<const A extends readonly ArgDecl[]>(args: A): A {
  return args
}

/** Declares a task, keeping its argument list as a tuple and `perItem` as a literal (for `DeclaredArgs`). */
export function declareTask<const A extends readonly ArgDecl[], const P extends boolean>(
  decl: TaskDeclaration<A, P>,
): TaskDeclaration<A, P> {
  return decl
}

/**
 * The zod schema of a declaration's arguments: its output is the declaration's argument tuple,
 * and its issues are the messages of submission validation (`EXTRACT_MFCC.args[0] (nfilt) must be ...`).
 */
export function argsSchema<D extends TaskDeclaration>(decl: D): z.ZodType<DeclaredArgs<D>> {
  // Built once per declaration: a worker parses every order's arguments with it.
  const known = argsSchemas.get(decl)
  if (known) return known as z.ZodType<DeclaredArgs<D>>
  const schema = z
    .array(z.unknown())
    .superRefine((args, ctx) => {
      for (const error of checkArgs(decl, args, decl.name)) {
        ctx.addIssue({ code: 'custom', message: error.message })
      }
    })
    .pipe(z.custom<DeclaredArgs<D>>())
  argsSchemas.set(decl, schema)
  return schema
}

const argsSchemas = new WeakMap<TaskDeclaration, z.ZodType>()

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
