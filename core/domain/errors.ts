/** Codes of the errors we throw on purpose; the API maps each to a status. */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'unavailable'
  | 'payload_too_large'
  | 'corrupt'
  | 'bug'

/** One problem found in an input: where (`tasks[2].args[0]`) and what rule it broke. */
export interface FieldError {
  path: string
  message: string
}

/** Base class for the errors Banzai throws deliberately. */
export class BanzaiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message)
    this.name = 'BanzaiError'
  }
}

/** Rejected input: a document, message, flag or argument that broke a rule. */
export class ValidationError extends BanzaiError {
  constructor(message: string, errors: FieldError[] = []) {
    super('invalid_input', message, errors)
    this.name = 'ValidationError'
  }
}

/** Something asked for does not exist. */
export class NotFoundError extends BanzaiError {
  constructor(message: string) {
    super('not_found', message)
    this.name = 'NotFoundError'
  }
}

/** A task failure that is worth another attempt (network, lease, resource exhaustion). */
export class RetryableTaskError extends Error {
  readonly retryable = true
  constructor(message: string) {
    super(message)
    this.name = 'RetryableTaskError'
  }
}

/** Tells whether a thrown value asks to be retried. */
export function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true
}

/** Exhaustiveness guard for switches over unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new BanzaiError('bug', `unexpected ${what}: ${JSON.stringify(value)}`)
}
