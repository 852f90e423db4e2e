import { startBanzaiSide } from '../support/banzai-side.ts'
import {
  type MeasuredPhase,
  STEPS,
  measurePhase,
  runAllAtOnce,
  runOneAfterAnother,
} from '../support/pipeline-phases.ts'

/** A measured phase and when it ran, in µs of the monotonic clock (a V8 CPU profile's timestamps). */
export interface StepCpuPhase extends MeasuredPhase {
  monotonicUs: { start: number; end: number }
}

/** The monitor's CPU per step for 4-step NOOP pipelines, one after another and all at once. */
export interface StepCpu {
  workers: 1
  slotsPerWorker: 10
  stepsPerPipeline: typeof STEPS
  monitorPid: number
  oneAfterAnother: StepCpuPhase
  allAtOnce: StepCpuPhase
}

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n)

/**
 * Runs `warmup`, then `sequential` 4-step NOOP pipelines one after another, then `concurrent` at
 * once, on `banzai up --workers 1 --slots 10`; reads the monitor's and the worker's CPU from /proc
 * around each phase. `env` goes to `banzai up` (the profile sets `NODE_OPTIONS=--cpu-prof`).
 */
export async function measureStepCpu(options: {
  warmup: number
  sequential: number
  concurrent: number
  env?: Record<string, string>
}): Promise<StepCpu> {
  const side = await startBanzaiSide(options.env)
  const processes = (): Record<string, number[]> => ({
    monitor: [side.monitorPid],
    worker: side.workerPids(),
  })
  const timed = async (run: Parameters<typeof measurePhase>[1]): Promise<StepCpuPhase> => {
    const start = monotonicUs()
    const phase = await measurePhase(side, run, processes)
    return { ...phase, monotonicUs: { start, end: monotonicUs() } }
  }
  try {
    await runOneAfterAnother(side, options.warmup)
    const oneAfterAnother = await timed((s) => runOneAfterAnother(s, options.sequential))
    const allAtOnce = await timed((s) => runAllAtOnce(s, options.concurrent))
    return {
      workers: 1,
      slotsPerWorker: 10,
      stepsPerPipeline: STEPS,
      monitorPid: side.monitorPid,
      oneAfterAnother,
      allAtOnce,
    }
  } finally {
    await side.close()
  }
}

/** The Markdown lines of the CPU-per-step section of dispatch.md. */
export function stepCpuMarkdown(r: StepCpu): string[] {
  const row = (phase: string, p: StepCpuPhase): string =>
    `| ${phase} | ${p.pipelines} | ${p.pipelinesPerSecond} | ${p.latencyMs.p50} / ${p.latencyMs.p99} | **${p.cpuMsPerStepByProcess.monitor}** | ${p.cpuMsPerStepByProcess.worker} |`
  return [
    '### Monitor CPU per step',
    '',
    `${r.stepsPerPipeline}-step NOOP pipelines (\`cache: false\`) on \`banzai up --workers ${r.workers} --slots ${r.slotsPerWorker}\`: one after another, then all`,
    'at once. CPU is read from `/proc/<pid>/stat` (10 ms ticks) around each phase and divided by its steps. The goal',
    '(issue 14) is ≤ 0.25 ms of monitor CPU per step at 500 concurrent pipelines. Where it goes: `dispatch-profile.md`.',
    '',
    '| phase | pipelines | pipelines/s | submit → done p50 / p99 (ms) | monitor CPU ms per step | worker CPU ms per step |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('one after another', r.oneAfterAnother),
    row('all at once', r.allAtOnce),
  ]
}
