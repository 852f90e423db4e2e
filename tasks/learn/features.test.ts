import { describe, expect, it } from 'vitest'
import {
  type FrameMatrix,
  computeNormalization,
  concatFrames,
  normalizeFrames,
  stackContext,
  subsampleRows,
} from './features.ts'

const matrix = (rows: number[][]): FrameMatrix => ({
  data: Float32Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0]?.length ?? 0,
})

describe('features', () => {
  it('normalises with the statistics of the given frames only; a constant column keeps std 1', () => {
    const train = [
      matrix([
        [1, 5],
        [3, 5],
      ]),
      matrix([[5, 5]]),
    ]
    const norm = computeNormalization(train)
    expect(norm.mean).toEqual([3, 5])
    expect(norm.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12)
    expect(norm.std[1]).toBe(1)
    const out = normalizeFrames(matrix([[3, 6]]), norm)
    expect([...out.data]).toEqual([0, 1])
  })

  it('stacks ±k neighbours, repeating the edge frames', () => {
    const m = matrix([
      [1, 10],
      [2, 20],
      [3, 30],
    ])
    const stacked = stackContext(m, 1)
    expect(stacked.cols).toBe(6)
    expect([...stacked.data]).toEqual([1, 10, 1, 10, 2, 20, 1, 10, 2, 20, 3, 30, 2, 20, 3, 30, 3, 30])
    expect(stackContext(m, 0)).toEqual(m)
  })

  it('concatenates row-wise and subsamples every k-th row', () => {
    const both = concatFrames([matrix([[1], [2]]), matrix([[3]])], 1)
    expect([...both.data]).toEqual([1, 2, 3])
    expect([...subsampleRows(matrix([[1], [2], [3], [4], [5]]), 2).data]).toEqual([1, 3, 5])
  })
})
