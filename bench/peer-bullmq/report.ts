import type { MachineInfo } from '../support/machine.ts'
import type { MeasuredPhase as Phase } from '../support/pipeline-phases.ts'
interface Side {
  oneAfterAnother: Phase
  allAtOnce: Phase
}

/** The figures `bench/peer-bullmq/run.ts` writes to peer-bullmq.json. */
export interface PeerReport extends MachineInfo {
  quick: boolean
  stepsPerPipeline: number
  warmupPipelines: number
  setup: { bullmq: string; banzai: string }
  bullmq: Side
  banzai: Side
  ratios: {
    allAtOncePipelinesPerSecond: number
    oneAfterAnotherTime: number
    oneAfterAnotherP50: number
    allAtOnceServerCpuPerStep: number
  }
  goals: { allAtOncePipelinesPerSecond: string; oneAfterAnotherTime: string }
}

const byProcess = (p: Phase): string =>
  Object.entries(p.cpuMsPerStepByProcess)
    .map(([name, ms]) => `${name} ${ms}`)
    .join(' + ')

function row(system: string, phase: string, p: Phase): string {
  const l = p.latencyMs
  return `| ${system} | ${phase} | ${p.pipelines} | ${p.seconds} | ${p.pipelinesPerSecond} | ${l.p50} / ${l.p90} / ${l.p99} | ${p.serverCpuMsPerStep} (${byProcess(p)}) |`
}

/** The Markdown section of peer-bullmq results. */
export function peerMarkdown(r: PeerReport): string {
  const met = (ok: boolean): string => (ok ? 'met' : 'not met')
  return [
    '# Peer benchmark: Banzai vs BullMQ',
    '',
    `The same ${r.stepsPerPipeline}-step pipelines on both systems in one run, timed by one client from submit to the final`,
    'notification: one after another, then all at once (after warm-up pipelines on each side).',
    `- **BullMQ**: ${r.setup.bullmq}. Done = \`QueueEvents\` \`completed\` of the flow's root job.`,
    `- **Banzai**: ${r.setup.banzai}. Done = \`PipelineSucceeded\` on \`GET /api/events\` (SSE).`,
    '',
    '| ratio (Banzai / BullMQ) | this run | goal |',
    '| --- | ---: | ---: |',
    `| pipelines/s, ${r.banzai.allAtOnce.pipelines} at once | ${r.ratios.allAtOncePipelinesPerSecond} | ${r.goals.allAtOncePipelinesPerSecond} (${met(r.ratios.allAtOncePipelinesPerSecond >= 2)}) |`,
    `| time for ${r.banzai.oneAfterAnother.pipelines} one after another | ${r.ratios.oneAfterAnotherTime} | ${r.goals.oneAfterAnotherTime} (${met(r.ratios.oneAfterAnotherTime <= 0.3)}) |`,
    `| p50 submit → done, one after another | ${r.ratios.oneAfterAnotherP50} | |`,
    `| server CPU per step, all at once (steadier than wall time on a shared machine) | ${r.ratios.allAtOnceServerCpuPerStep} | |`,
    '',
    '| system | phase | pipelines | seconds | pipelines/s | submit → done p50 / p90 / p99 (ms) | server CPU ms per step |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    row('BullMQ', 'one after another', r.bullmq.oneAfterAnother),
    row('Banzai', 'one after another', r.banzai.oneAfterAnother),
    row('BullMQ', 'all at once', r.bullmq.allAtOnce),
    row('Banzai', 'all at once', r.banzai.allAtOnce),
    '',
    'All at once, submit → done is measured from the first submit. Server CPU is read from `/proc/<pid>/stat`',
    '(10 ms ticks): redis-server + the worker process for BullMQ, the `banzai up` process (monitor, API, log) + its',
    'worker for Banzai; the timing client (FlowProducer and QueueEvents, or HTTP and SSE) is not counted.',
    '',
    `${r.node} on ${r.cpu} (${r.cores} cores, shared: 1-min load average ${r.loadAverage1m.before.toFixed(1)} before, ${r.loadAverage1m.after.toFixed(1)} after).`,
    `Made by \`npm run bench -- peer-bullmq${r.quick ? ' --quick' : ''}\` on ${r.date}.`,
    '',
  ].join('\n')
}
