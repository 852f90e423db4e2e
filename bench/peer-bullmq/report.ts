import type { MachineInfo } from '../support/machine.ts'
import type { MeasuredPhase as Phase, PhasePair } from '../support/pipeline-phases.ts'

/** One system's figures: both phases measured cold (just started) and warm (after unmeasured rounds). */
export interface Side {
  cold: PhasePair
  warm: PhasePair
}

/** Banzai's figures over BullMQ's. */
export interface PeerRatios {
  allAtOncePipelinesPerSecond: number
  oneAfterAnotherTime: number
  oneAfterAnotherP50: number
  allAtOnceServerCpuPerStep: number
}

/** The figures `bench/peer-bullmq/run.ts` writes to peer-bullmq.json. */
export interface PeerReport extends MachineInfo {
  quick: boolean
  stepsPerPipeline: number
  warmupPipelines: number
  setup: { bullmq: string; banzai: string }
  bullmq: Side
  banzai: Side
  warmRounds: number
  /** Of the warm phases: what the goals are read from. */
  ratios: PeerRatios
  coldRatios: PeerRatios
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
  const w = r.banzai.warm
  return [
    '# Peer benchmark: Banzai vs BullMQ',
    '',
    `The same ${r.stepsPerPipeline}-step pipelines on both systems in one run, timed by one client from submit to the final`,
    'notification: one after another, then all at once. Each system is measured twice: *cold*, right after it',
    `started (and ${r.warmupPipelines} pipelines), and *warm*, after ${r.warmRounds} more unmeasured rounds of both phases, as a server that has`,
    'run for a while (its JIT has compiled the hot paths). The goals are read from the warm figures.',
    `- **BullMQ**: ${r.setup.bullmq}. Done = \`QueueEvents\` \`completed\` of the flow's root job.`,
    `- **Banzai**: ${r.setup.banzai}. Done = \`PipelineSucceeded\` on \`GET /api/events\` (SSE).`,
    '',
    '| ratio (Banzai / BullMQ) | warm | cold | goal |',
    '| --- | ---: | ---: | ---: |',
    `| pipelines/s, ${w.allAtOnce.pipelines} at once | ${r.ratios.allAtOncePipelinesPerSecond} | ${r.coldRatios.allAtOncePipelinesPerSecond} | ${r.goals.allAtOncePipelinesPerSecond} (${met(r.ratios.allAtOncePipelinesPerSecond >= 2)}) |`,
    `| time for ${w.oneAfterAnother.pipelines} one after another | ${r.ratios.oneAfterAnotherTime} | ${r.coldRatios.oneAfterAnotherTime} | ${r.goals.oneAfterAnotherTime} (${met(r.ratios.oneAfterAnotherTime <= 0.3)}) |`,
    `| p50 submit → done, one after another | ${r.ratios.oneAfterAnotherP50} | ${r.coldRatios.oneAfterAnotherP50} | |`,
    `| server CPU per step, all at once (steadier than wall time on a shared machine) | ${r.ratios.allAtOnceServerCpuPerStep} | ${r.coldRatios.allAtOnceServerCpuPerStep} | |`,
    '',
    '| system | phase | pipelines | seconds | pipelines/s | submit → done p50 / p90 / p99 (ms) | server CPU ms per step |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...(['warm', 'cold'] as const).flatMap((when) => [
      row('BullMQ', `${when}, one after another`, r.bullmq[when].oneAfterAnother),
      row('Banzai', `${when}, one after another`, r.banzai[when].oneAfterAnother),
      row('BullMQ', `${when}, all at once`, r.bullmq[when].allAtOnce),
      row('Banzai', `${when}, all at once`, r.banzai[when].allAtOnce),
    ]),
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
