/** A seeded source of uniform numbers in [0, 1): the only randomness LEARN uses (never Math.random). */
export type Random = () => number

/** Mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence on every platform. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Shuffles an array in place (Fisher–Yates) with a seeded source, and returns it. */
export function shuffleInPlace<T>(values: T[], random: Random): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const a = values[i] as T
    values[i] = values[j] as T
    values[j] = a
  }
  return values
}

/** A standard normal draw (Box–Muller) from a seeded source. */
export function drawNormal(random: Random): number {
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}
