import { startBanzaiSide } from '../support/banzai-side.ts'
import {
  type MeasuredPhase,
  type PhasePair,
  STEPS,
  WARM_ROUNDS,
  measureColdThenWarm,
  measurePhase,
} from '../support/pipeline-phases.ts'

/** A measured phase and when it ran, in µs of the monotonic clock (a V8 CPU profile's timestamps). */
export interface StepCpuPhase extends MeasuredPhase {
  monotonicUs: { start: number; end: number }
  /** Ticks the monitor committed during the phase, and the steps each carried on average. */
  commits: number
  stepsPerCommit: number
  /** Wall time of the commits (BEGIN to the end of the fsync, on the monitor's main thread), µs per step. */
  commitUsPerStep: number
}

/**
 * The monitor's CPU per step for 4-step NOOP pipelines, one after another and all at once: warm
 * (the phases at the top level, after `warmRounds` unmeasured rounds) and `cold` (just started).
 */
export interface StepCpu extends PhasePair<StepCpuPhase> {
  workers: 1
  slotsPerWorker: 10
  stepsPerPipeline: typeof STEPS
  warmRounds: number
  monitorPid: number
  cold: PhasePair<StepCpuPhase>
}

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n)

/**
 * Runs `warmup`, then `sequential` 4-step NOOP pipelines one after another, then `concurrent` at
 * once, on `banzai up --workers 1 --slots 10`, cold and then warm (`measureColdThenWarm`); reads
 * the monitor's and the worker's CPU from /proc around each phase. `env` goes to `banzai up` (the
 * profile loads its CPU-profile hook so).
 */
export async function measureStepCpu(options: {
  warmup: number
  sequential: number
  concurrent: number
  warmRounds?: number
  env?: Record<string, string>
}): Promise<StepCpu> {
  const warmRounds = options.warmRounds ?? WARM_ROUNDS
  const side = await startBanzaiSide(options.env)
  const processes = (): Record<string, number[]> => ({
    monitor: [side.monitorPid],
    worker: side.workerPids(),
  })
  const timed = async (run: Parameters<typeof measurePhase>[1]): Promise<StepCpuPhase> => {
    const before = await side.commits()
    const start = monotonicUs()
    const phase = await measurePhase(side, run, processes)
    const end = monotonicUs()
    const after = await side.commits()
    const steps = phase.pipelines * STEPS
    const commits = after.commits - before.commits
    return {
      ...phase,
      monotonicUs: { start, end },
      commits,
      stepsPerCommit: Number((steps / commits).toFixed(2)),
      commitUsPerStep: Number((((after.seconds - before.seconds) * 1e6) / steps).toFixed(1)),
    }
  }
  try {
    const { cold, warm } = await measureColdThenWarm(side, { ...options, warmRounds }, timed)
    return {
      workers: 1,
      slotsPerWorker: 10,
      stepsPerPipeline: STEPS,
      warmRounds,
      monitorPid: side.monitorPid,
      ...warm,
      cold,
    }
  } finally {
    await side.close()
  }
}

/** The Markdown lines of the CPU-per-step section of dispatch.md. */
export function stepCpuMarkdown(r: StepCpu): string[] {
  const row = (phase: string, p: StepCpuPhase): string =>
    `| ${phase} | ${p.pipelines} | ${p.pipelinesPerSecond} | ${p.latencyMs.p50} / ${p.latencyMs.p99} | **${p.cpuMsPerStepByProcess.monitor}** | ${p.cpuMsPerStepByProcess.worker} | ${p.stepsPerCommit} | ${p.commitUsPerStep} |`
  return [
    '### Monitor CPU per step',
    '',
    `${r.stepsPerPipeline}-step NOOP pipelines (\`cache: false\`) on \`banzai up --workers ${r.workers} --slots ${r.slotsPerWorker}\`: one after another, then all`,
    'at once. CPU is read from `/proc/<pid>/stat` (10 ms ticks) around each phase and divided by its steps. The goal',
    '(issue 14) is ≤ 0.25 ms of monitor CPU per step at 500 concurrent pipelines. Where it goes: `dispatch-profile.md`.',
    `*Cold* is measured right after start (and 20 pipelines); *warm* after ${r.warmRounds} more unmeasured rounds of both phases,`,
    'as a monitor that has run for a while: the JIT has compiled the hot paths and the heap has its working size.',
    '',
    "The last two columns come from the monitor's `/metrics` (`banzai_event_log_commits_total` and",
    '`banzai_event_log_commit_seconds_total`): the steps each commit (one transaction, one fsync) carried, and the',
    'wall time of the commits, BEGIN to the end of the fsync on the main thread, per step.',
    '',
    '| phase | pipelines | pipelines/s | submit → done p50 / p99 (ms) | monitor CPU ms per step | worker CPU ms per step | steps per commit | commit µs per step (wall) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('warm, one after another', r.oneAfterAnother),
    row('warm, all at once', r.allAtOnce),
    row('cold, one after another', r.cold.oneAfterAnother),
    row('cold, all at once', r.cold.allAtOnce),
  ]
}
