/** Where time comes from: wall time for events, monotonic time for leases. */
export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  wall(): number
  /** Monotonic milliseconds; never jumps. */
  monotonic(): number
}

/** The process's clock: `Date.now()` and `performance.now()`. */
export const systemClock: Clock = { wall: () => Date.now(), monotonic: () => performance.now() }

/** The clock's wall time as an ISO string (the `at` of events). */
export function isoNow(clock: Clock): string {
  return new Date(clock.wall()).toISOString()
}
