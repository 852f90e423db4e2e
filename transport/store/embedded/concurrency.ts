/** File operations a removal keeps in flight at once (the libuv pool has 4 threads). */
const REMOVALS_AT_ONCE = 16

/** Runs `work` on every item, REMOVALS_AT_ONCE at a time. */
export async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += REMOVALS_AT_ONCE)
    await Promise.all(items.slice(i, i + REMOVALS_AT_ONCE).map(work))
}

/** Runs tasks one at a time, in call order. */
export function createMutex(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve()
  return (task) => {
    const run = tail.then(task)
    tail = run.catch(() => undefined)
    return run
  }
}
