// Benchmark (not a test): healthz latency while 1,000 clients replay `GET /api/events` from 0 on a
// ~690-event log (the flood of issue 15), against a real `banzai monitor` process with one worker.
// The clients run in their own process (test/support/sse-flood-child.ts), all at once (no ramp).
// Writes bench/results/sse-flood.json and .md. Usage: node --import tsx bench/sse-flood/run.ts [--quick]
import { rmSync, writeFileSync } from 'node:fs'
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

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } })
const CLIENTS = flags.quick ? 200 : 1_000
const PIPELINES = 57 // about 690 events: 12 per two-NOOP pipeline
const PROBE_EVERY_MS = 50

async function timeHealthz(url: string): Promise<number> {
  const t0 = performance.now()
  const response = await fetch(`${url}/api/healthz`)
  await response.text()
  if (response.status !== 200) throw new Error(`healthz answered ${response.status}`)
  return performance.now() - t0
}

const loadBefore = loadNow()
const data = tempDataDir('banzai-bench-sse-')
const monitor = await startMonitorProcess({ data, port: await freePorts(1), zmqPort: await freePorts(3) })
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

  const flood = spawnTs('test/support/sse-flood-child.ts', [
    monitor.url,
    String(CLIENTS),
    String(lastSeq),
    '0',
  ])
  await flood.waitForLine((l) => l === 'flood: started', 'the flood to start')
  let done = false
  const ended = flood
    .waitForLine((l) => l.startsWith('flood: {'), 'the flood to end', 600_000)
    .finally(() => {
      done = true
    })
  const during: number[] = []
  let postMs = Number.NaN
  while (!done) {
    during.push(await timeHealthz(monitor.url))
    if (during.length === 20) {
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
  const outcome = JSON.parse((await ended).slice('flood: '.length)) as FloodOutcome

  const report = {
    machine: machineInfo(loadBefore),
    clients: CLIENTS,
    logEvents: lastSeq,
    healthzIdleMs: summarize(idle),
    healthzDuringFloodMs: summarize(during),
    postDuringFloodMs: Number(postMs.toFixed(1)),
    flood: {
      complete: outcome.complete,
      failures: outcome.failures.length,
      refused: outcome.refused.length,
      seconds: Number((outcome.elapsedMs / 1000).toFixed(1)),
      eventsDelivered: outcome.complete * lastSeq,
    },
    goal: 'healthz p99 ≤ 100 ms under 1,000 replaying clients',
  }
  const h = report.healthzDuringFloodMs
  const md = `# sse-flood

${CLIENTS} clients replay \`GET /api/events\` from 0 (\`Last-Event-ID: 0\`, all at once, from another
process) on a ${lastSeq}-event log, against \`banzai monitor\` with one worker. Re-run:
\`npm run bench -- sse-flood\` (or \`node --import tsx bench/sse-flood/run.ts\`).
Machine: ${report.machine.cpu}, ${report.machine.cores} cores, load average ${report.machine.loadAverage1m.before.toFixed(1)} → ${report.machine.loadAverage1m.after.toFixed(1)}.

| healthz | n | p50 ms | p90 ms | p99 ms | max ms |
|---|---|---|---|---|---|
| idle | ${report.healthzIdleMs.n} | ${report.healthzIdleMs.p50} | ${report.healthzIdleMs.p90} | ${report.healthzIdleMs.p99} | ${report.healthzIdleMs.max} |
| during the flood | ${h.n} | ${h.p50} | ${h.p90} | ${h.p99} | ${h.max} |

A POST during the flood took ${report.postDuringFloodMs} ms. ${outcome.complete} of ${CLIENTS} clients got all
${lastSeq} events in order (${outcome.failures.length} failures, ${outcome.refused.length} refused) in ${report.flood.seconds} s,
${report.flood.eventsDelivered} events in all. Goal: ${report.goal}.
`
  const dir = new URL('../results/', import.meta.url)
  writeFileSync(new URL('sse-flood.json', dir), JSON.stringify(report, null, 2) + '\n')
  writeFileSync(new URL('sse-flood.md', dir), md)
  console.log(md)
} finally {
  worker.kill()
  monitor.child.kill()
  await Promise.all([worker.exited, monitor.child.exited])
  rmSync(data, { recursive: true, force: true })
}
