import { z } from '@hono/zod-openapi'
import { ProblemDetails } from '../../core/domain/index.ts'

/** RFC 9457 problem details with the field errors (SPEC §7), the domain's `ProblemDetails`; every error answer has this body. */
export const Problem = named(ProblemDetails, 'Problem')

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request: bad JSON, or a query or path parameter that breaks its rule',
  401: 'Missing or wrong bearer token',
  404: 'No such pipeline, step, blob or route',
  409: 'The pipeline is in the wrong state for this (already ended, or still live)',
  413: 'Request body over the limit',
  415: 'Body is not application/json',
  416: 'Range not satisfiable',
  422: 'The pipeline document breaks a rule (each error names its path)',
  503: 'Temporarily unavailable (event log cannot be written, transport not bound)',
}

/** Problem answers for the given statuses, for a route's `responses`. */
export function problems(
  ...statuses: number[]
): Record<
  number,
  { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }
> {
  const out: Record<
    number,
    { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }
  > = {}
  for (const status of [...statuses, 401]) {
    out[status] = {
      description: DESCRIPTIONS[status] ?? 'Error',
      content: { 'application/problem+json': { schema: Problem } },
    }
  }
  return out
}

/**
 * Names a domain schema in the OpenAPI document (a component `$ref`d by that name). The domain
 * builds its schemas with plain zod, possibly before @hono/zod-openapi extends zod with
 * `.openapi()` (zod binds methods when a schema is built), so the name goes on a fresh copy.
 */
export function named<S extends z.ZodType>(schema: S, name: string): S {
  return schema.clone().openapi(name)
}

/** A JSON body answer for a route's `responses`. */
export function json<S extends z.ZodType>(
  schema: S,
  description: string,
): { description: string; content: { 'application/json': { schema: S } } } {
  return { description, content: { 'application/json': { schema } } }
}

/** A non-negative integer in a path or query parameter (decimal digits), checked against [min, max]. */
export function integerParam(min: number, max: number, description: string) {
  return z
    .string()
    .regex(/^\d{1,15}$/, 'must be a non-negative integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .openapi({ description: `${description} (an integer from ${min} to ${max})` })
}

/** `?limit=`: page size, default 100, at most 1000 (SPEC §7). */
export const Limit = integerParam(1, 1000, 'page size, default 100').default(100)

/** The bearer token security requirement of every guarded route. */
export const bearer = [{ bearerAuth: [] }]
