/** How a bounded wait ended. */
export type WaitOutcome = 'settled' | 'timed out'

/**
 * Waits for `settled` (fulfilled or rejected) or `timeoutMs` ms, whichever comes first; the timer
 * never outlives the wait. Tells which happened, so a caller can drop what it left waiting.
 */
export function waitOrTimeOut(settled: Promise<unknown>, timeoutMs: number): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timed out'), timeoutMs)
    const finish = (): void => {
      clearTimeout(timer)
      resolve('settled')
    }
    settled.then(finish, finish)
  })
}
