import { summarize } from '../support/percentiles.ts'

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
