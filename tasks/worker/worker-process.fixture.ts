// A worker process for tests: a worker host with the utility tasks, a memory store and the
// ZeroMQ transport, wired the way `banzai worker` wires it. Argument: JSON {endpoints, graceMs}.
import { hostname } from 'node:os'
import { createMemoryStore } from '../../transport/memory/index.ts'
import { createZmqWorkerTransport, TransportEndpoints } from '../../transport/zmq/index.ts'
import { utilityTasks } from '../utility/index.ts'
import { createWorkerHost } from './index.ts'

const config = JSON.parse(process.argv[2] ?? '{}') as { endpoints: unknown; graceMs?: number }
const endpoints = TransportEndpoints.parse(config.endpoints)
const log = (msg: string): void => void process.stderr.write(`${msg}\n`)
const transport = createZmqWorkerTransport({ endpoints, lanes: ['default'], log })
const host = createWorkerHost({
  transport,
  implementations: utilityTasks,
  store: createMemoryStore(),
  settings: { dataDir: '.', allowedRoots: [], workerId: `fixture-${process.pid}` },
  lanes: ['default'],
  slots: 2,
  heartbeatMs: 100,
  host: hostname(),
  pid: process.pid,
  graceMs: config.graceMs ?? 200,
  log: (level, msg) => log(`${level}: ${msg}`),
})
host.start()
process.once('SIGTERM', () => {
  host.stop({ graceful: true }).then(
    () => process.exit(0),
    (error: unknown) => {
      log(`stop failed: ${String(error)}`)
      process.exit(1)
    },
  )
})
