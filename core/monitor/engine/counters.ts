import type { StoredEvent } from '../../domain/index.ts'

/** Counts of committed events the monitor keeps for /metrics. */
export interface EventCounts {
  dispatched: number
  succeeded: number
  failed: number
  cached: number
  joined: number
  expired: number
  ignored: number
}

/** What the monitor counts for /metrics: committed events, commits and their latencies. */
export interface MonitorCounters extends EventCounts {
  /** Seconds each of the recent commits took (up to 1000). */
  appendSeconds: number[]
  /** Ticks committed since the monitor started (each one transaction, one fsync). */
  commits: number
  /** Seconds those commits took in all (each from BEGIN to the end of its COMMIT's fsync). */
  commitSeconds: number
}

/** Counters at zero. */
export function createCounters(): MonitorCounters {
  return {
    dispatched: 0,
    succeeded: 0,
    failed: 0,
    cached: 0,
    joined: 0,
    expired: 0,
    ignored: 0,
    appendSeconds: [],
    commits: 0,
    commitSeconds: 0,
  }
}

/** Counts committed events only, so a refused commit or a re-sent report never counts twice. */
export function countCommitted(c: MonitorCounters, events: readonly StoredEvent[]): void {
  for (const e of events) {
    if (e.type === 'UnitDispatched') c.dispatched++
    else if (e.type === 'UnitSucceeded') c.succeeded++
    else if (e.type === 'UnitFailed') c.failed++
    else if (e.type === 'StepCacheHit') c.cached++
    else if (e.type === 'StepJoined') c.joined++
    else if (e.type === 'UnitLeaseExpired') c.expired++
    else if (e.type === 'UnitReportIgnored') c.ignored++
  }
}

/** Counts one commit and keeps its latency, seconds, among the recent ones. */
export function recordCommit(c: MonitorCounters, seconds: number): void {
  c.commits++
  c.commitSeconds += seconds
  c.appendSeconds.push(seconds)
  if (c.appendSeconds.length > 1000) c.appendSeconds.splice(0, 500)
}
