export * from './state.ts'
export { evolvePipeline } from './evolve.ts'
export { inputOutputs } from './follow-ups.ts'
export type { Evolution } from './evolution.ts'
export {
  decideReport,
  decideTimeouts,
  readyUnits,
  type DueCheck,
  type Elapsed,
  type ReadyUnit,
} from './decide.ts'
export * from './machine.ts'
