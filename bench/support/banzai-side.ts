import { readMetric } from '../../test/support/api-pages.ts'
import { tempDataDir } from '../../test/support/banzai-processes.ts'
import { rmSync } from 'node:fs'
import { startBanzaiUp } from './banzai-up.ts'
import { CompletionWaiter } from './completion-waiter.ts'
import { listenToEvents } from './event-listener.ts'
import { STEPS, type PipelineSystem } from './pipeline-phases.ts'

/** The Banzai side's pipeline: 4 NOOP steps, `cache: false` (else every run after the first is a memo hit). */
export const NOOP_PIPELINE = {
  name: 'bench: 4 noop steps',
  tasks: Array.from({ length: STEPS }, () => ({ call: 'NOOP', args: [] })),
  cache: false,
}

/** The frames the timing client reads (it skips the rest unparsed). */
const PIPELINE_ENDS: ReadonlySet<string> = new Set([
  'PipelineSucceeded',
  'PipelineFailed',
  'PipelineCancelled',
])

/** Ticks the monitor committed and the seconds the commits took, from BEGIN to the end of the fsync. */
export interface CommitCount {
  commits: number
  seconds: number
}

/** The Banzai side, running: `banzai up --workers 1 --slots 10` on a fresh data folder, followed over SSE. */
export interface BanzaiSide extends PipelineSystem {
  monitorPid: number
  workerPids(): number[]
  /** The monitor's commits so far and the seconds they took (`/metrics`). */
  commits(): Promise<CommitCount>
  close(): Promise<void>
}

/**
 * Starts `banzai up` (durable SQLite log) and follows `GET /api/events` for `PipelineSucceeded`;
 * `env` is added to the process's environment (e.g. `NODE_OPTIONS` for a CPU profile).
 */
export async function startBanzaiSide(env?: Record<string, string>): Promise<BanzaiSide> {
  const data = tempDataDir('banzai-bench-4-steps-')
  const up = await startBanzaiUp({ data, workers: 1, slots: 10, ...(env ? { env } : {}) }).catch(
    (error: unknown) => {
      rmSync(data, { recursive: true, force: true })
      throw error
    },
  )
  const completions = new CompletionWaiter()
  const listener = await listenToEvents(
    up.url,
    (event, arrivedMs) => {
      if (event.type === 'PipelineSucceeded') completions.record(event.pipelineId, arrivedMs)
      else console.error(`banzai: pipeline ${event.pipelineId} ended with ${event.type}`)
    },
    undefined,
    PIPELINE_ENDS,
  )
  return {
    monitorPid: up.child.process.pid ?? 0,
    workerPids: () => up.workerPids(),
    async commits() {
      const text = await up.api.text('GET', '/metrics')
      const read = (name: string): number => {
        const value = readMetric(text, name)
        if (value === null) throw new Error(`/metrics has no ${name}`)
        return value
      }
      return {
        commits: read('banzai_event_log_commits_total'),
        seconds: read('banzai_event_log_commit_seconds_total'),
      }
    },
    submit: () => up.api.submit(NOOP_PIPELINE),
    ended: (id) => completions.ended(id),
    async close() {
      listener.close()
      await up.stop()
      rmSync(data, { recursive: true, force: true })
    },
  }
}
