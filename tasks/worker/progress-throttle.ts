/** One progress reading. */
export interface Progress {
  done: number
  total: number
  unit: string
}

/** Limits how often progress is sent: at most one per `intervalMs`, the latest value winning. */
export interface ProgressThrottle {
  update(progress: Progress): void
  /** Sends the latest value if it was not sent yet (before a final report); later updates are ignored. */
  flush(): void
}

/** Creates a throttle that calls `send` at most once per `intervalMs` (default 250 ms: 4 per second). */
export function createProgressThrottle(
  send: (progress: Progress) => void,
  intervalMs = 250,
): ProgressThrottle {
  let latest: Progress | undefined
  let lastSentAt = -Infinity
  let timer: NodeJS.Timeout | undefined
  let isFlushed = false
  const sendLatest = (): void => {
    timer = undefined
    if (!latest) return
    lastSentAt = performance.now()
    const progress = latest
    latest = undefined
    send(progress)
  }
  return {
    update(progress) {
      if (isFlushed) return
      latest = progress
      const wait = lastSentAt + intervalMs - performance.now()
      if (wait <= 0) sendLatest()
      else timer ??= setTimeout(sendLatest, wait)
    },
    flush() {
      isFlushed = true
      clearTimeout(timer)
      sendLatest()
    },
  }
}
