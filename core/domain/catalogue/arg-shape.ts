import { z } from 'zod'
import type { FieldError } from '../errors.ts'

/** A plain value checked by a zod schema, with the rule in words. */
export interface ValueShape<S extends z.ZodType = z.ZodType> {
  readonly kind: 'value'
  readonly schema: S
  readonly rule: string
}

/** An options object whose known fields each have a shape; every field is optional. */
export interface ObjectShape<
  F extends Readonly<Record<string, ArgShape>> = Readonly<Record<string, ArgShape>>,
> {
  readonly kind: 'object'
  readonly fields: F
  readonly rule: string
}

/**
 * An argument's shape: a zod schema plus the rule in words, so that an error reads
 * `tasks[2].args[0] (nfilt) must be an integer between 1 and 128, got "32"`.
 */
export type ArgShape = ValueShape | ObjectShape

/** The type of a value that fits a shape. */
export type ShapeValue<S> =
  S extends ValueShape<infer Z>
    ? z.output<Z>
    : S extends ObjectShape<infer F>
      ? { [K in keyof F]?: ShapeValue<F[K]> }
      : never

/** A named positional argument of a task. */
export interface ArgDecl<S extends ArgShape = ArgShape> {
  readonly name: string
  readonly doc: string
  readonly shape: S
  readonly optional?: boolean
  /** The last argument may repeat (`FETCH_FESTVOX(url, ...urls)`). */
  readonly rest?: boolean
}

/**
 * The tuple type of the arguments a list of declarations accepts: optional ones may be left
 * out, a rest one repeats (`[string, ...string[]]`); a list that is not a tuple gives `unknown[]`.
 */
export type ArgsOfDecls<A extends readonly ArgDecl[]> = A extends readonly []
  ? []
  : A extends readonly [infer H extends ArgDecl, ...infer R extends readonly ArgDecl[]]
    ? H extends { rest: true }
      ? ShapeValue<H['shape']>[]
      : H extends { optional: true }
        ? [ShapeValue<H['shape']>?, ...ArgsOfDecls<R>]
        : [ShapeValue<H['shape']>, ...ArgsOfDecls<R>]
    : unknown[]

/** A plain value argument checked by a zod schema. */
export function value<S extends z.ZodType>(schema: S, rule: string): ValueShape<S> {
  return { kind: 'value', schema, rule }
}

/** An options object whose known fields each have a shape; unknown fields are rejected. */
export function options<const F extends Readonly<Record<string, ArgShape>>>(fields: F): ObjectShape<F> {
  return { kind: 'object', fields, rule: 'an object of options' }
}

/** An integer in [min, max]. */
export function integer(min: number, max: number): ValueShape<z.ZodNumber> {
  return value(z.number().int().min(min).max(max), `an integer between ${min} and ${max}`)
}

/** A finite number in [min, max]. */
export function number(min: number, max: number): ValueShape<z.ZodNumber> {
  return value(z.number().min(min).max(max), `a number between ${min} and ${max}`)
}

/** Renders a value for an error message, short. */
export function describeValue(input: unknown): string {
  if (input === undefined) return 'nothing'
  const text = JSON.stringify(input)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** Checks one value against a shape, appending errors under `path`. */
export function checkShape(
  shape: ArgShape,
  input: unknown,
  path: string,
  label: string,
  out: FieldError[],
): void {
  if (shape.kind === 'value') {
    if (!shape.schema.safeParse(input).success) {
      out.push({ path, message: `${path} (${label}) must be ${shape.rule}, got ${describeValue(input)}` })
    }
    return
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    out.push({ path, message: `${path} (${label}) must be ${shape.rule}, got ${describeValue(input)}` })
    return
  }
  const known = Object.keys(shape.fields)
  for (const [key, fieldValue] of Object.entries(input)) {
    const field = shape.fields[key]
    const fieldPath = `${path}.${key}`
    if (!field) {
      out.push({
        path: fieldPath,
        message: `${fieldPath} is not a known option (known: ${known.join(', ')})`,
      })
      continue
    }
    checkShape(field, fieldValue, fieldPath, key, out)
  }
}

/** The JSON Schema of a shape, for `GET /api/tasks`. */
export function shapeToZod(shape: ArgShape): z.ZodType {
  if (shape.kind === 'value') return shape.schema.describe(shape.rule)
  const fields: Record<string, z.ZodType> = {}
  for (const [key, field] of Object.entries(shape.fields)) fields[key] = shapeToZod(field).optional()
  return z.strictObject(fields).describe(shape.rule)
}
