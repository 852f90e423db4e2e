export * from './state.ts'
export { evolvePipeline, type Evolution } from './evolve.ts'
export {
  decideReport,
  decideTimeouts,
  readyUnits,
  type DueCheck,
  type Elapsed,
  type ReadyUnit,
} from './decide.ts'
export * from './machine.ts'
