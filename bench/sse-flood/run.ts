// Benchmark (not a test): healthz latency while 1,000 clients replay `GET /api/events` from 0 on a
// ~690-event log (the flood of issue 15), against a real `banzai monitor` process with one worker.
// The clients run in their own process (test/support/sse-flood-child.ts), all at once (no ramp).
// Writes bench/results/sse-flood.json and .md.
// Usage: node --import tsx bench/sse-flood/run.ts [--quick] [--rounds N] [--nice=N] [--cpu-prof DIR]
import { rmSync, writeFileSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'
import { parseArgs } from 'node:util'
import type { FloodOutcome } from '../../test/support/sse-flood.ts'
import { spawnTs } from '../../test/support/child-process.ts'
import {
  freePorts,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../../test/support/banzai-processes.ts'
import { loadNow, machineInfo } from '../support/machine.ts'
import { summarize } from '../support/percentiles.ts'
import { type LoopDelay, readLoopDelay } from './loop-delay.ts'
import { renderReport, type SseFloodReport } from './report.ts'

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    // A nice value for this process and so for every process it starts (negative: needs root).
    nice: { type: 'string' },
    // Writes a V8 CPU profile of the monitor process (node --cpu-prof) into this folder.
    'cpu-prof': { type: 'string' },
  },
})
const CLIENTS = flags.quick ? 200 : 1_000
const PIPELINES = 57 // about 690 events: 12 per two-NOOP pipeline
const PROBE_EVERY_MS = 50
// Floods one after another against the same monitor; their probes are pooled.
const ROUNDS = Number(flags.rounds)

async function timeHealthz(url: string): Promise<number> {
  const t0 = performance.now()
  const response = await fetch(`${url}/api/healthz`)
  await response.text()
  if (response.status !== 200) throw new Error(`healthz answered ${response.status}`)
  return performance.now() - t0
}

// Children inherit it: the monitor, the worker, the flood and the probes keep their relative shares.
if (flags.nice !== undefined) setPriority(Number(flags.nice))
const loadBefore = loadNow()
const data = tempDataDir('banzai-bench-sse-')
const profileDir = flags['cpu-prof']
const monitor = await startMonitorProcess({
  data,
  port: await freePorts(1),
  zmqPort: await freePorts(3),
  nodeArgs: [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ...(process.env.SSE_BENCH_IMPORT ? ['--import', process.env.SSE_BENCH_IMPORT] : []),
  ],
})
const worker = await startWorkerProcess(monitor, { data })
try {
  const ids: string[] = []
  for (let i = 0; i < PIPELINES; i++)
    ids.push(await monitor.api.submit({ tasks: [{ call: 'NOOP' }, { call: 'NOOP' }], cache: false }))
  await monitor.api.waitForEnd(ids)
  const lastSeq = await monitor.api.lastSeq()

  const idle: number[] = []
  for (let i = 0; i < 50; i++) {
    idle.push(await timeHealthz(monitor.url))
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS))
  }

  const during: number[] = []
  const slowest: { round: number; atMs: number; ms: number }[] = []
  const loopDelays: LoopDelay[] = []
  const outcomes: FloodOutcome[] = []
  let postMs = Number.NaN
  for (let round = 0; round < ROUNDS; round++) {
    await readLoopDelay(monitor.url) // starts the monitor's window of event-loop delay
    const flood = spawnTs('test/support/sse-flood-child.ts', [
      monitor.url,
      String(CLIENTS),
      String(lastSeq),
      '0',
    ])
    await flood.waitForLine((l) => l === 'flood: started', 'the flood to start')
    const floodStart = performance.now()
    let done = false
    const ended = flood
      .waitForLine((l) => l.startsWith('flood: {'), 'the flood to end', 600_000)
      .finally(() => {
        done = true
      })
    while (!done) {
      const atMs = performance.now() - floodStart
      const ms = await timeHealthz(monitor.url)
      during.push(ms)
      slowest.push({ round, atMs: Math.round(atMs), ms: Number(ms.toFixed(1)) })
      if (round === 0 && during.length === 20) {
        const t0 = performance.now()
        const posted = await fetch(`${monitor.url}/api/pipelines`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tasks: [{ call: 'NOOP' }], cache: false }),
        })
        if (posted.status !== 201) throw new Error(`POST answered ${posted.status}`)
        postMs = performance.now() - t0
      }
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS))
    }
    outcomes.push(JSON.parse((await ended).slice('flood: '.length)) as FloodOutcome)
    loopDelays.push(await readLoopDelay(monitor.url))
    await flood.exited
  }
  slowest.sort((a, b) => b.ms - a.ms).splice(5)

  const report: SseFloodReport = {
    machine: machineInfo(loadBefore),
    clients: CLIENTS,
    rounds: ROUNDS,
    nice: getPriority(),
    logEvents: lastSeq,
    probeEveryMs: PROBE_EVERY_MS,
    healthzIdleMs: summarize(idle),
    healthzDuringFloodMs: summarize(during),
    slowestProbes: slowest,
    monitorLoopDelayMs: loopDelays,
    postDuringFloodMs: Number(postMs.toFixed(1)),
    floods: outcomes.map((outcome) => ({
      complete: outcome.complete,
      failures: outcome.failures.length,
      refused: outcome.refused.length,
      seconds: Number((outcome.elapsedMs / 1000).toFixed(1)),
      eventsDelivered: outcome.complete * lastSeq,
    })),
    goal: 'healthz p99 ≤ 100 ms under 1,000 replaying clients',
  }
  const md = renderReport(report)
  const dir = new URL('../results/', import.meta.url)
  writeFileSync(new URL('sse-flood.json', dir), JSON.stringify(report, null, 2) + '\n')
  writeFileSync(new URL('sse-flood.md', dir), md)
  console.log(md)
} finally {
  worker.kill()
  // SIGTERM: the monitor stops gracefully, so node writes its CPU profile.
  monitor.child.kill('SIGTERM')
  await Promise.all([worker.exited, monitor.child.exited])
  rmSync(data, { recursive: true, force: true })
}
