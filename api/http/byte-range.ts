/** A satisfiable single byte range: `[start, end]`, both inclusive (as in `Content-Range`). */
export interface ByteRange {
  start: number
  end: number
}

/** What a `Range` header asks of a blob of a given size. */
export type RangeRequest = { kind: 'whole' } | { kind: 'range'; range: ByteRange } | { kind: 'unsatisfiable' }

const SINGLE = /^bytes=(\d*)-(\d*)$/

/**
 * Reads a `Range` header (RFC 9110 §14) against a blob of `size` bytes. One range only:
 * a header we do not understand, or a list of ranges, is ignored (the whole blob is sent),
 * as the RFC allows; a range that starts past the end is unsatisfiable (416).
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'whole' }
  const match = SINGLE.exec(header.trim())
  if (!match) return { kind: 'whole' }
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return { kind: 'whole' }
  // Numbers past 15 digits exceed any blob: a start that far is past the end, an end that far is the end.
  const toNumber = (digits: string): number => (digits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(digits))
  if (first === '') {
    const suffix = toNumber(last)
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'range', range: { start: Math.max(0, size - suffix), end: size - 1 } }
  }
  const start = toNumber(first)
  if (start >= size) return { kind: 'unsatisfiable' }
  const end = last === '' ? size - 1 : Math.min(toNumber(last), size - 1)
  if (end < start) return { kind: 'whole' }
  return { kind: 'range', range: { start, end } }
}
