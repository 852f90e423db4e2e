import { describe, expect, it } from 'vitest'
import { parseRange } from './range.ts'

describe('parseRange', () => {
  it('reads a whole blob when no range is given', () => {
    expect(parseRange()).toEqual({ offset: 0, end: Infinity })
  })

  it('turns offset and length into an exclusive end', () => {
    expect(parseRange({ offset: 10 })).toEqual({ offset: 10, end: Infinity })
    expect(parseRange({ offset: 10, length: 5 })).toEqual({ offset: 10, end: 15 })
    expect(parseRange({ offset: 0, length: 0 })).toEqual({ offset: 0, end: 0 })
  })

  it('rejects negative or fractional numbers, naming the field', () => {
    expect(() => parseRange({ offset: -1 })).toThrow('range.offset must be an integer ≥ 0, got -1')
    expect(() => parseRange({ offset: 0, length: 1.5 })).toThrow(
      'range.length must be an integer ≥ 0, got 1.5',
    )
    expect(() => parseRange({ offset: Number.NaN })).toThrow(/range\.offset/)
  })
})
