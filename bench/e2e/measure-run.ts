import type { StoredEvent } from '../../core/domain/index.ts'
import type { BanzaiUp } from '../support/banzai-up.ts'
import { listenToEvents } from '../support/event-listener.ts'
import { processCpuSeconds, totalCpuSeconds } from '../support/process-cpu.ts'

/** One step of a measured run, from its events. */
export interface StepFigures {
  step: number
  call: string
  /** From StepStarted (or, for a cache hit, the previous step's end) to the step's last event, s. */
  wallSeconds: number | null
  cacheHit: boolean
  shards: number
  /** CPU used by all worker processes over the same span, s. */
  workerCpuSeconds: number | null
  /** The units' `stats`, summed. */
  stats: Record<string, number>
}

/** One pipeline run on a `banzai up`, measured. */
export interface RunFigures {
  pipelineId: string
  status: string
  error: string | null
  /** PipelineSubmitted → final event, s (event times). */
  wallSeconds: number
  steps: StepFigures[]
  /** CPU of the monitor process (`banzai up`: monitor, API, log) during the run, s. */
  monitorCpuSeconds: number
  /** Output CID of each step (null if it did not succeed). */
  outputs: (string | null)[]
  events: number
}

interface Mark {
  event: StoredEvent
  workerCpu: number
}

const FINAL = new Set(['PipelineSucceeded', 'PipelineFailed', 'PipelineCancelled'])
const STEP_END = new Set(['StepSucceeded', 'StepFailed', 'StepCacheHit'])

/**
 * Submits `doc` to `up`, follows its events over SSE, and samples the workers' CPU time (from
 * /proc) when each step starts and ends — the run must be the only one in flight.
 * `onLine` hears a line per finished step.
 */
export async function runMeasured(
  up: BanzaiUp,
  doc: { tasks: { call: string }[] },
  onLine: (line: string) => void = () => {},
): Promise<RunFigures> {
  const marks: Mark[] = []
  const finals = new Map<string, () => void>()
  const ended = new Set<string>()
  const workers = up.workerPids()
  const monitorPid = up.child.process.pid ?? 0
  const listener = await listenToEvents(up.url, (event) => {
    // Sample at once: the SSE frame arrives within milliseconds of the commit.
    marks.push({ event, workerCpu: totalCpuSeconds(workers) })
    if (STEP_END.has(event.type)) {
      const step = (event.data as { step: number }).step
      onLine(`  step ${step} ${doc.tasks[step]?.call ?? ''}: ${event.type}`)
    }
    if (FINAL.has(event.type)) {
      ended.add(event.pipelineId)
      finals.get(event.pipelineId)?.()
    }
  })
  const monitorCpuBefore = processCpuSeconds(monitorPid)
  const startCpu = totalCpuSeconds(workers)
  let id = ''
  try {
    id = await up.api.submit(doc)
    const pipelineId = id
    await new Promise<void>((resolve) =>
      ended.has(pipelineId) ? resolve() : finals.set(pipelineId, resolve),
    )
  } finally {
    listener.close()
  }
  const monitorCpuSeconds = processCpuSeconds(monitorPid) - monitorCpuBefore
  const own = marks.filter((m) => m.event.pipelineId === id)
  const at = (m: Mark): number => Date.parse(m.event.at)
  const submitted = own.find((m) => m.event.type === 'PipelineSubmitted')!
  const final = own.find((m) => FINAL.has(m.event.type))!
  const steps: StepFigures[] = []
  const outputs: (string | null)[] = []
  let previousEnd: Mark = { ...submitted, workerCpu: startCpu }
  doc.tasks.forEach((task, step) => {
    const mine = own.filter((m) => (m.event.data as { step?: number }).step === step)
    const start = mine.find((m) => m.event.type === 'StepStarted')
    const end = mine.find((m) => STEP_END.has(m.event.type))
    const begin = start ?? previousEnd
    const stats: Record<string, number> = {}
    for (const m of mine) {
      if (m.event.type !== 'UnitSucceeded') continue
      for (const [k, v] of Object.entries(m.event.data.stats)) stats[k] = (stats[k] ?? 0) + v
    }
    const cacheHit = end?.event.type === 'StepCacheHit'
    const output =
      end && (end.event.type === 'StepSucceeded' || end.event.type === 'StepCacheHit')
        ? end.event.data.output
        : null
    outputs.push(output)
    steps.push({
      step,
      call: task.call,
      wallSeconds: end ? (at(end) - at(begin)) / 1000 : null,
      cacheHit,
      shards: start?.event.type === 'StepStarted' ? start.event.data.shards : 0,
      workerCpuSeconds: end ? end.workerCpu - begin.workerCpu : null,
      stats,
    })
    if (end) previousEnd = end
  })
  const error =
    final.event.type === 'PipelineFailed'
      ? final.event.data.error
      : final.event.type === 'PipelineCancelled'
        ? final.event.data.reason
        : null
  return {
    pipelineId: id,
    status: final.event.type,
    error,
    wallSeconds: (at(final) - at(submitted)) / 1000,
    steps,
    monitorCpuSeconds,
    outputs,
    events: own.length,
  }
}
