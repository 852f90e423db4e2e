import type { Cid, Store } from '../../core/domain/index.ts'

/**
 * The monitor's view of a real store where, once the gate is closed, the next `has` waits until
 * it opens (later calls pass): the only stand-in here, so that a store check can be caught in
 * the middle while other checks go on.
 */
export function gatedStore(store: Store) {
  let open: () => void = () => {}
  let gate: Promise<void> | null = null
  const gated = {
    waiting: 0,
    close() {
      gate = new Promise<void>((resolve) => (open = resolve))
    },
    open() {
      gate = null
      open()
    },
    store: Object.assign(Object.create(store) as Store, {
      has: async (cid: Cid) => {
        if (gate && gated.waiting === 0) {
          gated.waiting++
          await gate
        }
        return store.has(cid)
      },
    }),
  }
  return gated
}

/** Waits (up to 10 s) until `predicate` holds. */
export async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 25))
  if (!predicate()) throw new Error(`timed out waiting for ${what}`)
}
