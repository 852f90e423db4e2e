import type { PipelineState, StepState, UnitState } from './state.ts'

/** The state with one step replaced by `fn` of it. */
export function updateStep(
  state: PipelineState,
  index: number,
  fn: (step: StepState) => StepState,
): PipelineState {
  return { ...state, steps: state.steps.map((s) => (s.index === index ? fn(s) : s)) }
}

/** The state with one unit `(step, shard)` replaced by `fn` of it. */
export function updateUnit(
  state: PipelineState,
  step: number,
  shard: number,
  fn: (unit: UnitState) => UnitState,
): PipelineState {
  return updateStep(state, step, (s) => ({
    ...s,
    units: s.units.map((u) => (u.shard === shard ? fn(u) : u)),
  }))
}

/** Notes that an attempt's final report is recorded. */
export function withReported(unit: UnitState, attempt: number): UnitState {
  const reported = unit.reported ?? []
  return reported.includes(attempt) ? unit : { ...unit, reported: [...reported, attempt] }
}

/** The unit `(step, shard)`, if the step has it. */
export function findUnit(state: PipelineState, step: number, shard: number): UnitState | undefined {
  return state.steps[step]?.units.find((u) => u.shard === shard)
}
