import type { MachineInfo } from '../support/machine.ts'
import type { LoopDelay } from './loop-delay.ts'

type Summary = { n: number; p50: number; p90: number; p99: number; max: number }

/** What bench/sse-flood measured (the JSON of bench/results/sse-flood.json). */
export interface SseFloodReport {
  machine: MachineInfo
  clients: number
  rounds: number
  /** The nice value that every process of the bench ran at. */
  nice: number
  logEvents: number
  probeEveryMs: number
  healthzIdleMs: Summary
  healthzDuringFloodMs: Summary
  slowestProbes: { round: number; atMs: number; ms: number }[]
  monitorLoopDelayMs: LoopDelay[]
  postDuringFloodMs: number
  floods: { complete: number; failures: number; refused: number; seconds: number; eventsDelivered: number }[]
  goal: string
}

const row = (name: string, s: Summary): string =>
  `| ${name} | ${s.n} | ${s.p50} | ${s.p90} | ${s.p99} | ${s.max} |`

/** The Markdown of bench/results/sse-flood.md, method first. */
export function renderReport(r: SseFloodReport): string {
  const m = r.machine
  const floods = r.floods
    .map(
      (f, i) =>
        `| ${i + 1} | ${f.complete} of ${r.clients} | ${f.failures} | ${f.refused} | ${f.seconds} | ${r.monitorLoopDelayMs[i]?.p50} | ${r.monitorLoopDelayMs[i]?.p99} | ${r.monitorLoopDelayMs[i]?.max} |`,
    )
    .join('\n')
  const slowest = r.slowestProbes.map((p) => `${p.ms} ms (round ${p.round + 1}, +${p.atMs} ms)`).join(', ')
  return `# sse-flood

Method: ${r.clients} clients replay \`GET /api/events\` from 0 (\`Last-Event-ID: 0\`, all at once, no
ramp) on a ${r.logEvents}-event log, against a real \`banzai monitor\` process with one worker. The clients
run in their own process (\`test/support/sse-flood-child.ts\`), so their reading does not share the
monitor's event loop; they do share the machine's ${m.cores} cores with the monitor, the worker, the probing
process and whatever else runs there. The bench process probes \`GET /api/healthz\` over a fresh
HTTP request every ${r.probeEveryMs} ms (sequentially: a probe starts ${r.probeEveryMs} ms after the last answer) for as
long as a flood lasts; ${r.rounds} floods run one after another and their probes are pooled. The monitor's
own event-loop delay (node's \`monitorEventLoopDelay\`, 10 ms resolution, through \`/api/metrics\`)
is read over each flood: it does not include the probing process's scheduling. Every process of the
bench ran at nice ${r.nice}${r.nice < 0 ? " (to take less of a shared machine's noise; among themselves they compete as usual)" : ''}.
Re-run: \`npm run bench -- sse-flood\` (or \`node --import tsx bench/sse-flood/run.ts [--rounds N]
[--nice=N] [--cpu-prof DIR]\`). Machine: ${m.cpu}, ${m.cores} cores, node ${m.node}, load average
${m.loadAverage1m.before.toFixed(1)} → ${m.loadAverage1m.after.toFixed(1)} (other work on the machine inflates the tail).

| healthz | n | p50 ms | p90 ms | p99 ms | max ms |
|---|---|---|---|---|---|
${row('idle', r.healthzIdleMs)}
${row('during the floods', r.healthzDuringFloodMs)}

Slowest probes: ${slowest}.

| flood | complete, in order | failures | refused | seconds | loop delay p50 ms | p99 ms | max ms |
|---|---|---|---|---|---|---|---|
${floods}

A POST during the first flood took ${r.postDuringFloodMs} ms. Goal: ${r.goal}.
`
}
