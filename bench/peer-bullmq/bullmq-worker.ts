// The BullMQ side's worker process: one `Worker` on the `steps` queue at concurrency 10, whose
// processor does nothing (the NOOP step). Prints `bullmq worker ready` once connected; SIGTERM
// closes it. Usage: node --import tsx bench/peer-bullmq/bullmq-worker.ts REDIS_PORT
import { Worker } from 'bullmq'
import { QUEUE, WORKER_CONCURRENCY } from './bullmq-flow.ts'

const port = Number(process.argv[2])
const worker = new Worker(QUEUE, () => Promise.resolve({}), {
  connection: { host: '127.0.0.1', port },
  concurrency: WORKER_CONCURRENCY,
})
worker.on('error', (error) => console.error('bullmq worker:', error))
await worker.waitUntilReady()
console.log('bullmq worker ready')
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0))
})
