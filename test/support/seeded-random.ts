/** A seeded pseudo-random generator (mulberry32): the same seed draws the same numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** The chaos seed: `CHAOS_SEED` when set (to replay a failure), else a fresh one. */
export function chaosSeed(): number {
  const fromEnv = process.env.CHAOS_SEED
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv)
    if (!Number.isInteger(seed) || seed < 0) throw new Error(`CHAOS_SEED must be an integer ≥ 0, got ${JSON.stringify(fromEnv)}`)
    return seed
  }
  return Math.floor(Math.random() * 2 ** 31)
}
