import { describe, expect, it } from 'vitest'
import { createRandom, drawNormal, shuffleInPlace } from './rng.ts'

describe('createRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = createRandom(7)
    const b = createRandom(7)
    const c = createRandom(8)
    const seqA = Array.from({ length: 5 }, a)
    expect(Array.from({ length: 5 }, b)).toEqual(seqA)
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA)
  })

  it('stays in [0, 1) with a mean near 1/2 (10,000 draws: standard error 0.003, so ±0.02 is generous)', () => {
    const random = createRandom(1)
    const draws = Array.from({ length: 10_000 }, random)
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...draws)).toBeLessThan(1)
    expect(Math.abs(draws.reduce((s, x) => s + x, 0) / draws.length - 0.5)).toBeLessThan(0.02)
  })

  it('draws normals with mean 0 and variance 1 (10,000 draws, ±0.05)', () => {
    const random = createRandom(3)
    const draws = Array.from({ length: 10_000 }, () => drawNormal(random))
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length
    expect(Math.abs(mean)).toBeLessThan(0.05)
    expect(Math.abs(variance - 1)).toBeLessThan(0.05)
  })
})

describe('shuffleInPlace', () => {
  it('permutes, deterministically for a seed', () => {
    const a = shuffleInPlace([...Array(20).keys()], createRandom(5))
    const b = shuffleInPlace([...Array(20).keys()], createRandom(5))
    expect(a).toEqual(b)
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(20).keys()])
    expect(a).not.toEqual([...Array(20).keys()])
  })
})
