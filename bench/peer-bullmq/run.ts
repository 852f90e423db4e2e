// Benchmark (not a test): the same 4-step pipelines on BullMQ and on Banzai, in one run, timed by
// one client from submit to the final notification — 200 one after another, then 500 at once.
// BullMQ 5.81: FlowProducer chain, Redis (started here) with AOF and `appendfsync always`, one
// worker process at concurrency 10; completion = `QueueEvents` `completed` of the flow's root.
// Banzai: `banzai up --workers 1 --slots 10`, NOOP steps, durable log; completion = the
// `PipelineSucceeded` frame on `GET /api/events`. Writes bench/results/peer-bullmq.json and .md.
// Usage: node --import tsx bench/peer-bullmq/run.ts [--quick]
import { mkdirSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { freePorts } from '../../test/support/banzai-processes.ts'
import { loadNow, machineInfo } from '../support/machine.ts'
import { startBanzaiSide } from '../support/banzai-side.ts'
import { WORKER_CONCURRENCY, startBullmqSide } from './bullmq-flow.ts'
import { STEPS, WARM_ROUNDS, measureColdThenWarm, measurePhase } from '../support/pipeline-phases.ts'
import { type PeerRatios, type Side, peerMarkdown } from './report.ts'
import { startRedisServer } from './redis-server.ts'

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } })
const quick = flags.quick
const WARMUP = quick ? 5 : 20
const ONE_AFTER_ANOTHER = quick ? 40 : 200
const ALL_AT_ONCE = quick ? 100 : 500

const PLAN = {
  warmup: WARMUP,
  sequential: ONE_AFTER_ANOTHER,
  concurrent: ALL_AT_ONCE,
  warmRounds: WARM_ROUNDS,
}

async function measureBullmq(): Promise<Side> {
  const redis = await startRedisServer(await freePorts(1))
  try {
    const side = await startBullmqSide(redis.port)
    try {
      const processes = () => ({ redis: [redis.pid], worker: [side.workerPid] })
      return await measureColdThenWarm(side, PLAN, (run) => measurePhase(side, run, processes))
    } finally {
      await side.close()
    }
  } finally {
    await redis.stop()
  }
}

async function measureBanzai(): Promise<Side> {
  const side = await startBanzaiSide()
  try {
    const processes = () => ({ monitor: [side.monitorPid], worker: side.workerPids() })
    return await measureColdThenWarm(side, PLAN, (run) => measurePhase(side, run, processes))
  } finally {
    await side.close()
  }
}

const loadBefore = loadNow()
const bullmq = await measureBullmq()
console.log(`bullmq: ${JSON.stringify(bullmq)}`)
const banzai = await measureBanzai()
console.log(`banzai: ${JSON.stringify(banzai)}`)
const ratio = (a: number, b: number): number => Number((a / b).toFixed(2))
const ratios = (b: Side['warm'], q: Side['warm']): PeerRatios => ({
  allAtOncePipelinesPerSecond: ratio(b.allAtOnce.pipelinesPerSecond, q.allAtOnce.pipelinesPerSecond),
  oneAfterAnotherTime: ratio(b.oneAfterAnother.seconds, q.oneAfterAnother.seconds),
  oneAfterAnotherP50: ratio(b.oneAfterAnother.latencyMs.p50, q.oneAfterAnother.latencyMs.p50),
  allAtOnceServerCpuPerStep: ratio(b.allAtOnce.serverCpuMsPerStep, q.allAtOnce.serverCpuMsPerStep),
})
const report = {
  ...machineInfo(loadBefore),
  quick,
  stepsPerPipeline: STEPS,
  warmupPipelines: WARMUP,
  setup: {
    bullmq: `bullmq 5.81 FlowProducer chain on one queue; redis-server 7 with appendonly yes, appendfsync always, no RDB; one worker process, concurrency ${WORKER_CONCURRENCY}`,
    banzai: 'banzai up --workers 1 --slots 10; NOOP steps, cache: false; SQLite log (WAL, synchronous=FULL)',
  },
  bullmq,
  banzai,
  warmRounds: WARM_ROUNDS,
  ratios: ratios(banzai.warm, bullmq.warm),
  coldRatios: ratios(banzai.cold, bullmq.cold),
  goals: { allAtOncePipelinesPerSecond: '≥ 2', oneAfterAnotherTime: '≤ 0.3' },
}
const md = peerMarkdown(report)
const dir = new URL('../results/', import.meta.url)
mkdirSync(dir, { recursive: true })
writeFileSync(new URL('peer-bullmq.json', dir), JSON.stringify(report, null, 2) + '\n')
writeFileSync(new URL('peer-bullmq.md', dir), md)
console.log(md)
