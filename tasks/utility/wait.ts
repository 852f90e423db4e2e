/** The error a task throws when its signal aborted it. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new Error('aborted')
}

/** Waits `ms` milliseconds; rejects as soon as `signal` aborts. Calls `tick(elapsedMs)` every `tickMs`. */
export function waitAbortably(
  ms: number,
  signal: AbortSignal,
  tick?: (elapsedMs: number) => void,
  tickMs = 200,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal))
      return
    }
    const started = performance.now()
    const ticker = tick
      ? setInterval(() => tick(Math.min(ms, performance.now() - started)), tickMs)
      : undefined
    const onAbort = (): void => {
      clearTimeout(timer)
      clearInterval(ticker)
      reject(abortError(signal))
    }
    const timer = setTimeout(() => {
      clearInterval(ticker)
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
