import { FlowProducer, type FlowJob, QueueEvents } from 'bullmq'
import { type Child, spawnTs } from '../../test/support/child-process.ts'
import { CompletionWaiter } from '../support/completion-waiter.ts'
import { STEPS, type PipelineSystem } from '../support/pipeline-phases.ts'

/** The one queue every step of the BullMQ side runs on. */
export const QUEUE = 'steps'
/** Jobs the BullMQ worker process runs at once (as Banzai's worker has 10 slots). */
export const WORKER_CONCURRENCY = 10

/**
 * A 4-step chain as BullMQ's FlowProducer documents it: a parent runs once its children have
 * completed, so step 1 is the deepest child and step 4 the root.
 */
export function chainOfSteps(steps: number): FlowJob {
  let flow: FlowJob = { name: 'step-1', queueName: QUEUE, data: { step: 1 } }
  for (let step = 2; step <= steps; step++)
    flow = { name: `step-${step}`, queueName: QUEUE, data: { step }, children: [flow] }
  return flow
}

/** The BullMQ side, running: a FlowProducer and QueueEvents in this process, the worker in its own. */
export interface BullmqSide extends PipelineSystem {
  workerPid: number
  close(): Promise<void>
}

/** Starts the BullMQ worker process and connects the producer and the `completed` listener to Redis. */
export async function startBullmqSide(redisPort: number): Promise<BullmqSide> {
  const connection = { host: '127.0.0.1', port: redisPort }
  const completions = new CompletionWaiter()
  const events = new QueueEvents(QUEUE, { connection })
  events.on('completed', ({ jobId }) => completions.record(jobId, performance.now()))
  await events.waitUntilReady()
  const producer = new FlowProducer({ connection })
  await producer.waitUntilReady()
  const worker: Child = spawnTs('bench/peer-bullmq/bullmq-worker.ts', [String(redisPort)])
  await worker.waitForLine((l) => l === 'bullmq worker ready', 'the BullMQ worker to connect', 60_000)
  return {
    workerPid: worker.process.pid ?? 0,
    async submit() {
      const node = await producer.add(chainOfSteps(STEPS))
      const id = node.job.id
      if (id === undefined) throw new Error('FlowProducer.add returned a root job without an id')
      return id
    },
    ended: (id) => completions.ended(id),
    async close() {
      worker.kill('SIGTERM')
      await worker.exited
      await producer.close()
      await events.close()
    },
  }
}
