import { describe, expect, test } from 'vitest'
import { parseRange } from './byte-range.ts'

describe('parseRange', () => {
  test('no header, or one we do not understand, asks for the whole blob', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'whole' })
    expect(parseRange('items=0-1', 100)).toEqual({ kind: 'whole' })
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'whole' })
    expect(parseRange('bytes=-', 100)).toEqual({ kind: 'whole' })
    expect(parseRange('bytes=9-3', 100)).toEqual({ kind: 'whole' })
  })
  test('a closed, an open and a suffix range', () => {
    expect(parseRange('bytes=10-19', 100)).toEqual({ kind: 'range', range: { start: 10, end: 19 } })
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'range', range: { start: 90, end: 99 } })
    expect(parseRange('bytes=-5', 100)).toEqual({ kind: 'range', range: { start: 95, end: 99 } })
    expect(parseRange('bytes=-500', 100)).toEqual({ kind: 'range', range: { start: 0, end: 99 } })
  })
  test('an end past the blob is clipped; a start past it is unsatisfiable', () => {
    expect(parseRange('bytes=50-5000', 100)).toEqual({ kind: 'range', range: { start: 50, end: 99 } })
    expect(parseRange('bytes=50-99999999999999999999', 100)).toEqual({
      kind: 'range',
      range: { start: 50, end: 99 },
    })
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=99999999999999999999-', 100)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' })
  })
})
