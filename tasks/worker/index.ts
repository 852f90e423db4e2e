export { createWorkerHost, type WorkerHost, type WorkerHostOptions } from './worker-host.ts'
export { runPerItem } from './run-per-item.ts'
