import { ValidationError } from '../../core/domain/index.ts'

/** A validated byte range: `end` is exclusive, Infinity when open. */
export interface ByteRange {
  offset: number
  end: number
}

function checkInteger(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`${field} must be an integer ≥ 0, got ${String(value)}`, [
      { path: field, message: `${field} must be an integer ≥ 0, got ${String(value)}` },
    ])
  }
}

/** Validates a get's `{offset, length}` (bytes); a range past the end is clipped, never an error. */
export function parseRange(range?: { offset: number; length?: number }): ByteRange {
  if (!range) return { offset: 0, end: Infinity }
  checkInteger(range.offset, 'range.offset')
  if (range.length === undefined) return { offset: range.offset, end: Infinity }
  checkInteger(range.length, 'range.length')
  return { offset: range.offset, end: range.offset + range.length }
}
