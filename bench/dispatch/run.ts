// Benchmark (not a test): per-task overhead and sustained throughput of NOOP pipelines through
// the real thing — `banzai up` (monitor, SQLite log with synchronous=FULL, ZeroMQ over TCP,
// worker processes) — with 1 and then 2 workers. Writes bench/results/dispatch.json and .md.
// Usage: node --import tsx bench/dispatch/run.ts [--quick] [--slots 1] [--in-flight 64]
import { loadNow, machineInfo } from '../support/machine.ts'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { StoredEvent } from '../../core/domain/index.ts'
import { tempDataDir } from '../../test/support/banzai-processes.ts'
import { startBanzaiUp, type BanzaiUp } from '../support/banzai-up.ts'
import { listenToEvents } from '../support/event-listener.ts'
import { summarize } from '../support/percentiles.ts'
import { processCpuSeconds, totalCpuSeconds } from '../support/process-cpu.ts'
import { measureStepCpu, stepCpuMarkdown } from './step-cpu.ts'
import { measureWorkerKill, workerKillMarkdown } from './worker-kill.ts'

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    slots: { type: 'string', default: '1' },
    'in-flight': { type: 'string', default: '64' },
  },
})
const quick = flags.quick
const SLOTS = Number(flags.slots)
const IN_FLIGHT = Number(flags['in-flight'])
const WARMUP = quick ? 10 : 30
const SEQUENTIAL = quick ? 60 : 400
const SUSTAINED = quick ? 300 : 3_000
// One NOOP task, `cache: false`: otherwise every pipeline after the first is a memo hit.
const DOC = { name: 'bench: noop', tasks: [{ call: 'NOOP', args: [] }], cache: false }

/** What the log says about one pipeline: event times (ms since epoch) by type. */
interface Timeline {
  submitted?: number
  dispatched?: number
  started?: number
  unitSucceeded?: number
  ended?: number
  endType?: string
  arrivedEndMs?: number
}

class Tracker {
  readonly timelines = new Map<string, Timeline>()
  private readonly waiters = new Map<string, () => void>()

  onEvent = (event: StoredEvent, arrivedMs: number): void => {
    const t = this.timelines.get(event.pipelineId) ?? {}
    this.timelines.set(event.pipelineId, t)
    const at = Date.parse(event.at)
    if (event.type === 'PipelineSubmitted') t.submitted = at
    else if (event.type === 'UnitDispatched') t.dispatched ??= at
    else if (event.type === 'UnitStarted') t.started ??= at
    else if (event.type === 'UnitSucceeded') t.unitSucceeded = at
    else if (
      event.type === 'PipelineSucceeded' ||
      event.type === 'PipelineFailed' ||
      event.type === 'PipelineCancelled'
    ) {
      t.ended = at
      t.endType = event.type
      t.arrivedEndMs = arrivedMs
      this.waiters.get(event.pipelineId)?.()
      this.waiters.delete(event.pipelineId)
    }
  }

  /** Resolves with the arrival time of the pipeline's final event (which may already have come). */
  ended(id: string): Promise<number> {
    const seen = this.timelines.get(id)?.arrivedEndMs
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve) =>
      this.waiters.set(id, () => resolve(this.timelines.get(id)!.arrivedEndMs!)),
    )
  }
}

/** Submit → final event, one pipeline at a time: the per-task overhead with nothing else queued. */
async function runSequential(
  up: BanzaiUp,
  tracker: Tracker,
  count: number,
): Promise<{ ids: string[]; roundTripMs: number[] }> {
  const ids: string[] = []
  const roundTripMs: number[] = []
  for (let i = 0; i < count; i++) {
    const t0 = performance.now()
    const id = await up.api.submit(DOC)
    const end = await tracker.ended(id)
    ids.push(id)
    roundTripMs.push(end - t0)
  }
  return { ids, roundTripMs }
}

/** `count` pipelines with at most `inFlight` unfinished at once; returns ids and the wall time. */
async function runSustained(
  up: BanzaiUp,
  tracker: Tracker,
  count: number,
  inFlight: number,
): Promise<{ ids: string[]; seconds: number; endsMs: number[]; startMs: number }> {
  const ids: string[] = []
  const endsMs: number[] = []
  let next = 0
  const startMs = performance.now()
  const lane = async (): Promise<void> => {
    while (next < count) {
      next++
      const id = await up.api.submit(DOC)
      ids.push(id)
      endsMs.push(await tracker.ended(id))
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane))
  return { ids, seconds: (performance.now() - startMs) / 1000, endsMs, startMs }
}

function logFigures(
  tracker: Tracker,
  ids: string[],
): { dispatchToSucceededMs: number[]; submittedToEndedMs: number[]; failed: number } {
  const dispatchToSucceededMs: number[] = []
  const submittedToEndedMs: number[] = []
  let failed = 0
  for (const id of ids) {
    const t = tracker.timelines.get(id)
    if (!t || t.endType !== 'PipelineSucceeded') {
      failed++
      continue
    }
    if (t.dispatched !== undefined && t.unitSucceeded !== undefined)
      dispatchToSucceededMs.push(t.unitSucceeded - t.dispatched)
    if (t.submitted !== undefined && t.ended !== undefined) submittedToEndedMs.push(t.ended - t.submitted)
  }
  return { dispatchToSucceededMs, submittedToEndedMs, failed }
}

async function measure(workers: number) {
  const data = tempDataDir('banzai-bench-dispatch-')
  const up = await startBanzaiUp({ data, workers, slots: SLOTS })
  const tracker = new Tracker()
  const listener = await listenToEvents(up.url, tracker.onEvent)
  try {
    await runSequential(up, tracker, WARMUP)
    const sequential = await runSequential(up, tracker, SEQUENTIAL)
    const seqLog = logFigures(tracker, sequential.ids)
    // CPU per task, by process: on a shared machine a steadier figure than tasks per second.
    const monitorPid = up.child.process.pid ?? 0
    const cpuBefore = {
      monitor: processCpuSeconds(monitorPid),
      workers: totalCpuSeconds(up.workerPids()),
      client: process.cpuUsage(),
    }
    const sustained = await runSustained(up, tracker, SUSTAINED, IN_FLIGHT)
    const client = process.cpuUsage(cpuBefore.client)
    const cpuMsPerTask = (seconds: number): number => Number(((seconds * 1000) / SUSTAINED).toFixed(2))
    const cpu = {
      monitorMsPerTask: cpuMsPerTask(processCpuSeconds(monitorPid) - cpuBefore.monitor),
      workersMsPerTask: cpuMsPerTask(totalCpuSeconds(up.workerPids()) - cpuBefore.workers),
      benchClientMsPerTask: cpuMsPerTask((client.user + client.system) / 1e6),
    }
    const susLog = logFigures(tracker, sustained.ids)
    // Steady state: completions between the 10th and the 90th percentile of finishing times,
    // leaving out the ramp-up (first dispatches) and the drain (last stragglers).
    const ends = [...sustained.endsMs].sort((a, b) => a - b)
    const lo = ends[Math.floor(ends.length * 0.1)]!
    const hi = ends[Math.floor(ends.length * 0.9)]!
    const steady = (Math.floor(ends.length * 0.9) - Math.floor(ends.length * 0.1)) / ((hi - lo) / 1000)
    const result = {
      workers,
      slotsPerWorker: SLOTS,
      sequential: {
        pipelines: SEQUENTIAL,
        failed: seqLog.failed,
        clientRoundTripMs: summarize(sequential.roundTripMs),
        logSubmittedToSucceededMs: summarize(seqLog.submittedToEndedMs, 0),
        logDispatchedToUnitSucceededMs: summarize(seqLog.dispatchToSucceededMs, 0),
      },
      sustained: {
        pipelines: SUSTAINED,
        inFlight: IN_FLIGHT,
        failed: susLog.failed,
        seconds: Number(sustained.seconds.toFixed(2)),
        tasksPerSecond: Number((SUSTAINED / sustained.seconds).toFixed(1)),
        steadyTasksPerSecond: Number(steady.toFixed(1)),
        logSubmittedToSucceededMs: summarize(susLog.submittedToEndedMs, 0),
        logDispatchedToUnitSucceededMs: summarize(susLog.dispatchToSucceededMs, 0),
        cpu,
      },
    }
    console.log(
      `${workers} worker(s): one at a time, submit→PipelineSucceeded p50 ${result.sequential.clientRoundTripMs.p50} ms, p99 ${result.sequential.clientRoundTripMs.p99} ms; ` +
        `UnitDispatched→UnitSucceeded p50 ${result.sequential.logDispatchedToUnitSucceededMs.p50} ms, p99 ${result.sequential.logDispatchedToUnitSucceededMs.p99} ms; ` +
        `sustained (${IN_FLIGHT} in flight): ${result.sustained.tasksPerSecond} tasks/s (steady ${result.sustained.steadyTasksPerSecond}); CPU per task: monitor ${cpu.monitorMsPerTask} ms, workers ${cpu.workersMsPerTask} ms`,
    )
    return result
  } finally {
    listener.close()
    await up.stop()
    rmSync(data, { recursive: true, force: true })
  }
}

const loadBefore = loadNow()
const runs: Awaited<ReturnType<typeof measure>>[] = []
for (const workers of [1, 2]) runs.push(await measure(workers))
const stepCpu = await measureStepCpu({
  warmup: quick ? 5 : 20,
  sequential: quick ? 40 : 200,
  concurrent: quick ? 100 : 500,
})
const workerKill = await measureWorkerKill(quick ? 3 : 10)
const machine = machineInfo(loadBefore)
const loadAfter = machine.loadAverage1m.after

const report = {
  ...machine,
  quick,
  pipeline: DOC,
  runs,
  stepCpu,
  workerKill,
}
const md = [
  '# Dispatch overhead',
  '',
  `One-task pipelines (\`NOOP\`, \`cache: false\`) through \`banzai up\` with real processes: HTTP submit, the SQLite log`,
  `(WAL, synchronous=FULL), ZeroMQ over TCP to worker processes (${SLOTS} slot each), reports back, SSE out.`,
  `**Per-task overhead**: ${SEQUENTIAL} pipelines one at a time (after ${WARMUP} warm-up ones); *round trip* is`,
  `client-measured from \`POST /api/pipelines\` to the \`PipelineSucceeded\` frame on \`GET /api/events\`; the log columns`,
  'are differences of event `at` times (millisecond resolution): `UnitDispatched`→`UnitSucceeded` is the monitor→worker→monitor',
  `leg alone. **Throughput**: ${SUSTAINED} pipelines with ${IN_FLIGHT} unfinished at any time; *steady* leaves out the first and last 10 % of completions;`,
  'CPU per task is read from `/proc/<pid>/stat` over that phase: the monitor process (`banzai up`: API, log, engine, transport) and all workers.',
  '',
  '| workers | round trip p50 / p99 (ms) | log submitted→succeeded p50 / p99 | log dispatched→unit succeeded p50 / p99 | tasks/s (sustained) | steady tasks/s | submitted→succeeded under load p50 / p99 | CPU ms per task: monitor / workers | failed |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...runs.map(
    (r) =>
      `| ${r.workers} | ${r.sequential.clientRoundTripMs.p50} / ${r.sequential.clientRoundTripMs.p99} | ${r.sequential.logSubmittedToSucceededMs.p50} / ${r.sequential.logSubmittedToSucceededMs.p99} | ${r.sequential.logDispatchedToUnitSucceededMs.p50} / ${r.sequential.logDispatchedToUnitSucceededMs.p99} | ${r.sustained.tasksPerSecond} | ${r.sustained.steadyTasksPerSecond} | ${r.sustained.logSubmittedToSucceededMs.p50} / ${r.sustained.logSubmittedToSucceededMs.p99} | ${r.sustained.cpu.monitorMsPerTask} / ${r.sustained.cpu.workersMsPerTask} | ${r.sequential.failed + r.sustained.failed} |`,
  ),
  '',
  `Sustained throughput with 2 workers is ${((runs[1]?.sustained.tasksPerSecond ?? Number.NaN) / (runs[0]?.sustained.tasksPerSecond ?? Number.NaN)).toFixed(2)}× that with 1. A worker with ${SLOTS} slot${SLOTS > 1 ? 's' : ''} holds at most that many orders,`,
  'so per worker throughput is bounded by the order round trip (dispatch → report → commit). The monitor process spends',
  `${runs.map((r) => r.sustained.cpu.monitorMsPerTask).join(' / ')} ms of CPU per task (1 / 2 workers; the workers ${runs.map((r) => r.sustained.cpu.workersMsPerTask).join(' / ')} ms), which would bound it at`,
  `≈ ${Math.round(1000 / (runs.at(-1)?.sustained.cpu.monitorMsPerTask ?? Number.NaN))} tasks/s per core the monitor gets. Wall-clock figures move with the machine’s load; CPU per task much less.`,
  '',
  ...stepCpuMarkdown(stepCpu),
  '',
  ...workerKillMarkdown(workerKill),
  '',
  `${report.node} on ${report.cpu} (${report.cores} cores, shared: 1-min load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after).`,
  `Made by \`node --import tsx bench/dispatch/run.ts${quick ? ' --quick' : ''}\` on ${report.date}.`,
  '',
].join('\n')
const dir = new URL('../results/', import.meta.url)
mkdirSync(dir, { recursive: true })
writeFileSync(new URL('dispatch.json', dir), JSON.stringify(report, null, 2) + '\n')
writeFileSync(new URL('dispatch.md', dir), md)
console.log(md)
