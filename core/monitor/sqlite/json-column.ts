import type { z } from 'zod'
import { BanzaiError } from '../../domain/index.ts'

/**
 * Reads a JSON column through its schema. A value that is not JSON or does not fit the schema
 * is a corrupt row: throws a `corrupt` BanzaiError naming `where` (e.g. `pipelines.detail of p1`).
 */
export function parseJsonColumn<S extends z.ZodType>(schema: S, text: string, where: string): z.output<S> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new BanzaiError(
      'corrupt',
      `${where} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = issue?.path.join('.') ?? ''
    throw new BanzaiError(
      'corrupt',
      `${where} does not fit its schema: ${path ? `${path}: ` : ''}${issue?.message ?? ''}`,
    )
  }
  return parsed.data
}
