export * from './view.ts'
export { evolveDetail, initialDetail } from './detail.ts'
export { summarize } from './summary.ts'
export { replayDetail } from './replay.ts'
