import { createRandom } from '../../tasks/learn/rng.ts'

/** A seeded pseudo-random generator (mulberry32, LEARN's own): the same seed draws the same numbers in [0, 1). */
export const seededRandom: (seed: number) => () => number = createRandom

/** The chaos seed: `CHAOS_SEED` when set (to replay a failure), else a fresh one. */
export function chaosSeed(): number {
  const fromEnv = process.env.CHAOS_SEED
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv)
    if (!Number.isInteger(seed) || seed < 0)
      throw new Error(`CHAOS_SEED must be an integer ≥ 0, got ${JSON.stringify(fromEnv)}`)
    return seed
  }
  return Math.floor(Math.random() * 2 ** 31)
}
