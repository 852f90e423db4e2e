// errors.ts, not the domain's index: threads load this file, and should not compile every schema.
import { RetryableTaskError, ValidationError } from '../core/domain/errors.ts'

/** An error thrown in a task's worker thread, as data: its class name, message and whether it asks for a retry. */
export interface ThreadError {
  name: string
  message: string
  retryable: boolean
}

/** Describes a thrown value for the trip back from a thread (structured clone drops an error's class and fields). */
export function describeThreadError(error: unknown): ThreadError {
  const e = error instanceof Error ? error : new Error(String(error))
  return { name: e.name, message: e.message, retryable: (e as { retryable?: unknown }).retryable === true }
}

/**
 * The error again on the task's side: a class named in `known` (by its `name`), a
 * ValidationError, a RetryableTaskError when it asked for a retry, else a plain Error of that name.
 */
export function rebuildThreadError(
  error: ThreadError,
  known: Record<string, (message: string) => Error> = {},
): Error {
  const make = known[error.name]
  if (make) return make(error.message)
  if (error.name === 'ValidationError') return new ValidationError(error.message)
  if (error.retryable) return new RetryableTaskError(error.message)
  const rebuilt = new Error(error.message)
  rebuilt.name = error.name
  return rebuilt
}
