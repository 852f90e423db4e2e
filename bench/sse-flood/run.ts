// Benchmark (not a test): healthz latency while 1,000 clients replay `GET /api/events` from 0 on a
// ~690-event log (the flood of issue 15), against a real `banzai monitor` process with one worker.
// The clients run in their own process (test/support/sse-flood-child.ts), all at once (no ramp).
// Writes bench/results/sse-flood.json and .md.
// Usage: node --import tsx bench/sse-flood/run.ts [--quick] [--rounds N] [--cpu-prof DIR] [--monitor-import FILE]
import { rmSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  freePorts,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../../test/support/banzai-processes.ts'
import { loadNow, machineInfo } from '../support/machine.ts'
import { summarize } from '../support/percentiles.ts'
import { type RoundResult, runFloodRound, timeHealthz } from './flood-round.ts'
import { readCpuPressure } from './process-cpu.ts'
import { renderReport, type SseFloodReport } from './report.ts'

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    // Floods one after another against the same monitor; their probes are pooled.
    rounds: { type: 'string', default: '20' },
    // Writes a V8 CPU profile of the monitor process (node --cpu-prof) into this folder.
    'cpu-prof': { type: 'string' },
    // A module the monitor loads first (node --import), to instrument it.
    'monitor-import': { type: 'string' },
  },
})
const CLIENTS = flags.quick ? 200 : 1_000
const ROUNDS = Number(flags.rounds)
const PIPELINES = 57 // about 690 events: 12 per two-NOOP pipeline
const PROBE_EVERY_MS = 50

const loadBefore = loadNow()
const pressureBefore = readCpuPressure()
const data = tempDataDir('banzai-bench-sse-')
const profileDir = flags['cpu-prof']
const monitorImport = flags['monitor-import']
const monitor = await startMonitorProcess({
  data,
  port: await freePorts(1),
  zmqPort: await freePorts(3),
  nodeArgs: [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ...(monitorImport ? ['--import', monitorImport] : []),
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

  let postMs = Number.NaN
  const post = async (): Promise<void> => {
    const t0 = performance.now()
    const posted = await fetch(`${monitor.url}/api/pipelines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tasks: [{ call: 'NOOP' }], cache: false }),
    })
    if (posted.status !== 201) throw new Error(`POST answered ${posted.status}`)
    postMs = performance.now() - t0
  }
  const rounds: RoundResult[] = []
  for (let round = 0; round < ROUNDS; round++)
    rounds.push(
      await runFloodRound({
        url: monitor.url,
        monitorPid: monitor.child.process.pid!,
        clients: CLIENTS,
        untilSeq: lastSeq,
        probeEveryMs: PROBE_EVERY_MS,
        ...(round === 0 ? { duringFlood: post } : {}),
      }),
    )

  const probes = rounds.flatMap((r, round) => r.probes.map((p) => ({ round, ...p })))
  const report: SseFloodReport = {
    machine: machineInfo(loadBefore),
    cpuPressure10s: { before: pressureBefore, after: readCpuPressure() },
    clients: CLIENTS,
    rounds: ROUNDS,
    logEvents: lastSeq,
    probeEveryMs: PROBE_EVERY_MS,
    healthzIdleMs: summarize(idle),
    healthzDuringFloodMs: summarize(probes.map((p) => p.ms)),
    probesOver100Ms: probes.filter((p) => p.ms > 100).length,
    slowestProbes: [...probes].sort((a, b) => b.ms - a.ms).slice(0, 5),
    postDuringFloodMs: Number(postMs.toFixed(1)),
    floods: rounds.map((r) => ({
      complete: r.outcome.complete,
      failures: r.outcome.failures.length,
      refused: r.outcome.refused.length,
      seconds: Number((r.outcome.elapsedMs / 1000).toFixed(1)),
      eventsDelivered: r.outcome.complete * lastSeq,
      monitorLoopDelayMs: r.loopDelay,
      monitorCpuMs: r.monitorCpu,
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
