/** Items a long loop of the monitor handles between two yields to the event loop. */
export const SLICE = 1000

/** Lets timers, sockets and HTTP requests run before the next slice of a long loop (`setImmediate`). */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
