import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { MonitorPort } from '../../core/monitor/monitor-port.ts'
import { PipelineStatus } from '../../core/domain/index.ts'

/** The registry behind `GET /metrics` and the counter of answered requests. */
export interface ApiMetrics {
  registry: Registry
  /** Counts one answered request. */
  countRequest(method: string, status: number): void
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

/**
 * A registry of our own (never prom-client's global one): pipelines by status, units
 * dispatched / succeeded / failed, steps cached or joined, leases expired and reports ignored
 * (read from the monitor's stats at each scrape), event-log append latency over the recent
 * commits, the commits and their total time, dropped transport messages, live workers, HTTP
 * requests, and the process defaults.
 */
export function createMetrics(monitor: MonitorPort): ApiMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'banzai_process_' })
  new Gauge({
    name: 'banzai_pipelines',
    help: 'Pipelines by status',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      const counts = monitor.countPipelines()
      for (const status of PipelineStatus.options) this.set({ status }, counts[status] ?? 0)
    },
  })
  const tasks = [
    ['dispatched', 'Units dispatched to workers'],
    ['succeeded', 'Units that succeeded'],
    ['failed', 'Units that failed'],
    ['cached', 'Steps answered from the memo'],
    ['joined', 'Steps that joined an identical running step (single flight)'],
    ['expired', 'Unit leases that expired'],
    ['ignored', 'Worker reports ignored as stale or unknown'],
  ] as const
  // The monitor owns these counts; each scrape mirrors them.
  const mirror = (name: string, help: string, read: () => number): void => {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset()
        this.inc(read())
      },
    })
  }
  for (const [key, help] of tasks)
    mirror(`banzai_tasks_${key}_total`, help, () => monitor.stats().counts[key])
  new Gauge({
    name: 'banzai_event_log_append_seconds',
    help: 'Event-log commit latency over the recent commits (up to 1000), by quantile',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      const sorted = [...monitor.stats().appendSeconds].sort((a, b) => a - b)
      for (const q of [0.5, 0.9, 0.99, 1]) this.set({ quantile: String(q) }, quantile(sorted, q))
    },
  })
  // Both counters together give the mean commit time and, against the tasks' counts, the steps
  // each commit carries (one transaction and one fsync per tick: SPEC §5).
  mirror(
    'banzai_event_log_commits_total',
    'Ticks committed to the event log (one transaction and one fsync each)',
    () => monitor.stats().commits,
  )
  mirror(
    'banzai_event_log_commit_seconds_total',
    'Seconds the event-log commits took in all, from BEGIN to the end of the fsync',
    () => monitor.stats().commitSeconds,
  )
  new Counter({
    name: 'banzai_transport_dropped_total',
    help: 'Transport messages dropped as malformed or unknown, by kind',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset()
      for (const [kind, n] of Object.entries(monitor.stats().transportDropped)) this.inc({ kind }, n)
    },
  })
  new Gauge({
    name: 'banzai_workers_connected',
    help: 'Workers whose heartbeats are live',
    registers: [registry],
    collect() {
      this.set(monitor.stats().workersConnected)
    },
  })
  const requests = new Counter({
    name: 'banzai_http_requests_total',
    help: 'HTTP requests answered, by method and status',
    labelNames: ['method', 'status'],
    registers: [registry],
  })
  return {
    registry,
    countRequest: (method, status) =>
      requests.inc({ method: KNOWN_METHODS.has(method) ? method : 'OTHER', status: String(status) }),
  }
}
