export * from './state.ts'
export { evolvePipeline, type Evolution } from './evolve.ts'
export { decideReport, decideTimeouts, readyUnits, type ReadyUnit } from './decide.ts'
export * from './machine.ts'
