import type { MachineInfo } from '../support/machine.ts'
import type { LoopDelay } from './loop-delay.ts'
import type { ProcessCpu } from './process-cpu.ts'

type Summary = { n: number; p50: number; p90: number; p99: number; max: number }

/** What bench/sse-flood measured (the JSON of bench/results/sse-flood.json). */
export interface SseFloodReport {
  machine: MachineInfo
  /** /proc/pressure/cpu `some avg10` (% of time some task waited for a CPU), before and after. */
  cpuPressure10s: { before: number | null; after: number | null }
  clients: number
  rounds: number
  logEvents: number
  probeEveryMs: number
  healthzIdleMs: Summary
  healthzDuringFloodMs: Summary
  probesOver100Ms: number
  slowestProbes: { round: number; atMs: number; ms: number }[]
  postDuringFloodMs: number
  floods: {
    complete: number
    failures: number
    refused: number
    seconds: number
    eventsDelivered: number
    monitorLoopDelayMs: LoopDelay
    monitorCpuMs: ProcessCpu | null
  }[]
  goal: string
}

/**
 * Runs of this bench kept for comparison (hand-copied from their JSON): the same bench (rounds,
 * /proc CPU) on the code before the shared pages and after, at the machine's CPU pressure of the
 * time. Other sessions share the machine from other cgroups; no nice value shields a run from them.
 */
const HISTORY = `## Runs kept for comparison (2026-12-02)

| code | floods | CPU pressure (10 s) | probes | p50 ms | p99 ms | max ms | probes > 100 ms | idle p99 ms | flood s | monitor main-thread CPU ms per flood (median) | process CPU ms |
|---|---|---|---|---|---|---|---|---|---|---|---|
| before (every stream read, parsed and encoded each page itself, through a web stream and the whole middleware chain) | 10 | 93% → 68% | 1533 | 5 | 167.4 | 446.7 | 39 | 315.6 | 7.5–13.7 | 5305 | 7070 |
| before | 5 | 84% → 96% | 717 | 4.4 | 120.2 | 202 | 12 | 8.3 | 8.2–9.8 | 5370 | 6880 |
| after, quiet machine | 20 | 10% → 64% | 297 | 2 | 26 | 57.4 | 0 | 15.5 | 0.6–1.3 | 245 | 285 |
| after, loaded machine | 20 | 91% → 96% | 550 | 4.2 | 167.1 | 311.8 | 16 | 106.3 | 1.2–3.2 | 260 | 315 |

The previous session's figure on the code before, with one flood and no CPU figures: p99 406 ms,
max 434 ms over 170 probes, the flood done in 13 s. What the change controls is the monitor's work:
about 20× less CPU on its event loop per flood, and a flood that ends 6–10× sooner. On a quiet
machine that keeps healthz's p99 at 26 ms; on a machine whose CPUs are taken by other work more than
90% of the time, probes wait for the scheduler, before a flood as during one (idle p99 up to 316 ms in
these runs), whatever the monitor does.
`

const row = (name: string, s: Summary): string =>
  `| ${name} | ${s.n} | ${s.p50} | ${s.p90} | ${s.p99} | ${s.max} |`

/** The Markdown of bench/results/sse-flood.md, method first. */
export function renderReport(r: SseFloodReport): string {
  const m = r.machine
  const floods = r.floods
    .map((f, i) => {
      const d = f.monitorLoopDelayMs
      const cpu = f.monitorCpuMs
      return `| ${i + 1} | ${f.complete} of ${r.clients} | ${f.failures} | ${f.refused} | ${f.seconds} | ${d.p50} | ${d.p99} | ${d.max} | ${cpu?.mainThreadMs ?? '–'} | ${cpu?.processMs ?? '–'} |`
    })
    .join('\n')
  const slowest = r.slowestProbes.map((p) => `${p.ms} ms (flood ${p.round + 1}, +${p.atMs} ms)`).join(', ')
  const pressure = (x: number | null): string => (x === null ? 'n/a' : `${x}%`)
  return `# sse-flood

## Method

${r.clients} clients replay \`GET /api/events\` from 0 (\`Last-Event-ID: 0\`, all at once, no ramp) on a
${r.logEvents}-event log, against a real \`banzai monitor\` process with one worker. The clients run in
their own process (\`test/support/sse-flood-child.ts\`), so their parsing does not run on the monitor's
event loop; they do share the machine's ${m.cores} cores with the monitor, the worker and the probing process
(and with whatever else runs on the machine: other sessions' processes are not visible from here,
only as CPU pressure). The bench process probes \`GET /api/healthz\` (a fresh request on a kept-alive
connection) every ${r.probeEveryMs} ms, one after another (a probe starts ${r.probeEveryMs} ms after the last answer), for as
long as a flood lasts. ${r.rounds} floods run one after another against the same monitor, and their probes are
pooled. For each flood the monitor's own event-loop delay is read from \`/api/metrics\` (node's
\`monitorEventLoopDelay\`, 10 ms resolution, so 10 ms is the floor), and the CPU the monitor used from
\`/proc\`: its main thread (the event loop) and the whole process (GC and I/O threads too), 10 ms
resolution. Those two are measured inside the monitor: the probing process's own scheduling does not
enter them. Re-run: \`npm run bench -- sse-flood\` (or \`node --import tsx bench/sse-flood/run.ts
[--rounds N] [--cpu-prof DIR]\`).

Machine: ${m.cpu}, ${m.cores} cores, node ${m.node}; load average ${m.loadAverage1m.before.toFixed(1)} → ${m.loadAverage1m.after.toFixed(1)},
CPU pressure (10 s) ${pressure(r.cpuPressure10s.before)} → ${pressure(r.cpuPressure10s.after)}: other work on the machine stretches the tail.

## Results

| healthz | n | p50 ms | p90 ms | p99 ms | max ms |
|---|---|---|---|---|---|
${row('idle', r.healthzIdleMs)}
${row('during the floods', r.healthzDuringFloodMs)}

${r.probesOver100Ms} of ${r.healthzDuringFloodMs.n} probes took over 100 ms. Slowest: ${slowest}.

| flood | complete, in order | failures | refused | seconds | loop delay p50 ms | p99 ms | max ms | main thread CPU ms | process CPU ms |
|---|---|---|---|---|---|---|---|---|---|
${floods}

A POST during the first flood took ${r.postDuringFloodMs} ms. Goal: ${r.goal}.

${HISTORY}`
}
