import { totalCpuSeconds } from './process-cpu.ts'
import { summarize } from './percentiles.ts'

/** Steps per pipeline in the 4-step benchmarks (peer-bullmq, dispatch's CPU per step). */
export const STEPS = 4

/** One system under test, as the timing client sees it. */
export interface PipelineSystem {
  /** Submits one 4-step pipeline; resolves with its id once the system accepted it. */
  submit(): Promise<string>
  /** Resolves with the `performance.now()` at which the pipeline's final notification arrived. */
  ended(id: string): Promise<number>
}

/** What one phase measured: per-pipeline submit → final-notification times and the wall time. */
export interface PhaseResult {
  pipelines: number
  seconds: number
  pipelinesPerSecond: number
  latencyMs: ReturnType<typeof summarize>
}

/** A phase's figures plus the CPU the system's server-side processes spent on it, ms per step. */
export interface MeasuredPhase extends PhaseResult {
  serverCpuMsPerStep: number
  cpuMsPerStepByProcess: Record<string, number>
}

function phaseResult(latencies: number[], seconds: number): PhaseResult {
  return {
    pipelines: latencies.length,
    seconds: Number(seconds.toFixed(3)),
    pipelinesPerSecond: Number((latencies.length / seconds).toFixed(1)),
    latencyMs: summarize(latencies),
  }
}

/** `count` pipelines one after another: each submitted once the previous one's notification came. */
export async function runOneAfterAnother(system: PipelineSystem, count: number): Promise<PhaseResult> {
  const latencies: number[] = []
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const t0 = performance.now()
    const end = await system.ended(await system.submit())
    latencies.push(end - t0)
  }
  return phaseResult(latencies, (performance.now() - start) / 1000)
}

/** `count` pipelines submitted at once; the wall time runs from the first submit to the last notification. */
export async function runAllAtOnce(system: PipelineSystem, count: number): Promise<PhaseResult> {
  const start = performance.now()
  const ends = await Promise.all(
    Array.from({ length: count }, async () => system.ended(await system.submit())),
  )
  const last = Math.max(...ends)
  return phaseResult(
    ends.map((end) => end - start),
    (last - start) / 1000,
  )
}

/**
 * Runs one phase and reads the CPU (from /proc) of the system's server-side processes around it:
 * `processes` names them (e.g. `{ monitor: [pid] }`); figures are ms per step of `STEPS`.
 */
export async function measurePhase(
  system: PipelineSystem,
  run: (system: PipelineSystem) => Promise<PhaseResult>,
  processes: () => Record<string, number[]>,
): Promise<MeasuredPhase> {
  const cpu = (): Record<string, number> =>
    Object.fromEntries(Object.entries(processes()).map(([name, pids]) => [name, totalCpuSeconds(pids)]))
  const before = cpu()
  const result = await run(system)
  const after = cpu()
  const steps = result.pipelines * STEPS
  const byProcess = Object.fromEntries(
    Object.keys(after).map((name) => [
      name,
      Number(((((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / steps).toFixed(3)),
    ]),
  )
  const serverCpuMsPerStep = Number(
    Object.values(byProcess)
      .reduce((a, b) => a + b, 0)
      .toFixed(3),
  )
  return { ...result, serverCpuMsPerStep, cpuMsPerStepByProcess: byProcess }
}

/** The two phases, one after another then all at once, as one system ran them. */
export interface PhasePair<P extends PhaseResult = MeasuredPhase> {
  oneAfterAnother: P
  allAtOnce: P
}

/** Unmeasured rounds of both phases between the cold and the warm measurement (bench/dispatch, bench/peer-bullmq). */
export const WARM_ROUNDS = 3

/** What `measureColdThenWarm` runs: pipelines per phase, and the unmeasured rounds between cold and warm. */
export interface ColdThenWarmPlan {
  /** Pipelines one after another before anything is measured (connections, first compiles). */
  warmup: number
  sequential: number
  concurrent: number
  /** Unmeasured rounds of both phases between the cold and the warm measurement. */
  warmRounds: number
}

/**
 * Measures both phases twice on one running system: *cold*, right after `warmup` pipelines, and
 * *warm*, after `warmRounds` more unmeasured rounds of the same two phases. A server's processes
 * run for hours, so the warm figures are its steady state (the JIT has compiled the hot paths and
 * the heap has grown to its working size); the cold ones say what a just-started process costs.
 * `measure` wraps each measured phase (e.g. to note when it ran).
 */
export async function measureColdThenWarm<P extends PhaseResult>(
  system: PipelineSystem,
  plan: ColdThenWarmPlan,
  measure: (run: (system: PipelineSystem) => Promise<PhaseResult>) => Promise<P>,
): Promise<{ cold: PhasePair<P>; warm: PhasePair<P> }> {
  const pair = async (): Promise<PhasePair<P>> => ({
    oneAfterAnother: await measure((s) => runOneAfterAnother(s, plan.sequential)),
    allAtOnce: await measure((s) => runAllAtOnce(s, plan.concurrent)),
  })
  await runOneAfterAnother(system, plan.warmup)
  const cold = await pair()
  for (let round = 0; round < plan.warmRounds; round++) {
    await runOneAfterAnother(system, plan.sequential)
    await runAllAtOnce(system, plan.concurrent)
  }
  return { cold, warm: await pair() }
}
