import { monitorEventLoopDelay } from 'node:perf_hooks'

/** How long the event loop was held while a probe ran, ms. */
export interface LoopStall {
  /** Longest gap between two 10 ms timer ticks, less 10 ms: how late a heartbeat timer can fire. */
  maxTimerLateMs: number
  /** `monitorEventLoopDelay`'s maximum (10 ms resolution). */
  maxDelayMs: number
  /** Its 99th percentile. */
  p99DelayMs: number
}

/** Starts probing the event loop; `stop()` ends the probe and returns what it saw. */
export function probeLoopStall(): { stop(): LoopStall } {
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  histogram.enable()
  let maxTimerLateMs = 0
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    maxTimerLateMs = Math.max(maxTimerLateMs, now - last - 10)
    last = now
  }, 10)
  return {
    stop() {
      clearInterval(timer)
      histogram.disable()
      // The last stretch since the final tick counts too.
      maxTimerLateMs = Math.max(maxTimerLateMs, performance.now() - last - 10)
      return {
        maxTimerLateMs,
        maxDelayMs: histogram.max / 1e6,
        p99DelayMs: histogram.percentile(99) / 1e6,
      }
    },
  }
}
