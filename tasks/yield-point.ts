import { setImmediate as nextTurn } from 'node:timers/promises'

/**
 * Longest stretch of task work between two turns of the event loop, ms (default of
 * `createYieldPoint`): the worker's heartbeat timer and sockets wait at most about this long.
 */
export const YIELD_BUDGET_MS = 50

/**
 * A yield point for a long loop on the worker's thread: `await yieldPoint()` in each round
 * gives the event loop a turn (`setImmediate`) once `budgetMs` of work have passed since the
 * last one, and costs a clock read otherwise.
 */
export function createYieldPoint(budgetMs = YIELD_BUDGET_MS): () => Promise<void> {
  let last = performance.now()
  return async () => {
    if (performance.now() - last < budgetMs) return
    await nextTurn()
    last = performance.now()
  }
}
