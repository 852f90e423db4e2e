import { mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { PROJECT_ROOT } from '../project-root.ts'
import { createLogger } from '../logger.ts'
import { createWorkerHost, implementations, type WorkerHost } from '../../tasks/index.ts'
import { createZmqWorkerTransport, discoverTransport } from '../../transport/zmq/index.ts'
import type { Settings } from '../settings.ts'
import { curvePublicKey } from './curve.ts'
import { openStore } from './open-store.ts'
import { stopWhenParentDies } from './parent-watch.ts'

const FIXTURES = join(PROJECT_ROOT, 'fixtures/')

/** A running worker process. */
export interface RunningWorker {
  id: string
  host: WorkerHost
  stop(graceful: boolean): Promise<void>
}

/** Starts a worker: discovers the monitor's sockets from its API, connects and takes orders (SPEC §9 `banzai worker`). */
export async function startWorker(settings: Settings): Promise<RunningWorker> {
  const logger = createLogger(settings, 'banzai-worker')
  const data = resolve(settings.data)
  mkdirSync(data, { recursive: true })
  // The write token also reads; a read token alone is enough for `GET /api/transport`.
  const token = settings.token || settings.readToken
  const endpoints = await discoverTransport(settings.monitor, token ? { token } : {})
  const curve =
    endpoints.curveServerKey !== null
      ? settings.curveSecret
        ? {
            secretKey: settings.curveSecret,
            publicKey: curvePublicKey(settings.curveSecret),
            serverKey: endpoints.curveServerKey,
          }
        : undefined
      : undefined
  if (endpoints.curveServerKey !== null && !curve)
    throw new Error('the monitor uses CURVE: set BANZAI_CURVE_SECRET (see `banzai keygen`)')
  const transport = createZmqWorkerTransport({
    endpoints,
    lanes: settings.lanes,
    ...(curve ? { curve } : {}),
    bind: settings.workerBind,
    ...(settings.advertise ? { advertise: settings.advertise } : {}),
    log: (msg) => logger.warn(msg),
  })
  // The worker host flushes the store before every final report (SPEC §10).
  const store = await openStore({ ...settings, data }, 'batch')
  const id = `${hostname()}-${process.pid}`
  const host = createWorkerHost({
    transport,
    implementations,
    store,
    settings: {
      dataDir: data,
      allowedRoots: [join(data), FIXTURES, ...settings.allowedRoots.map((r) => resolve(r))],
      workerId: id,
      fetchHosts: settings.fetchHosts,
      monitorUrl: settings.monitor,
    },
    lanes: settings.lanes,
    slots: settings.slots,
    heartbeatMs: settings.heartbeatMs,
    ...(curve ? { curveKey: curve.publicKey } : {}),
    host: hostname(),
    pid: process.pid,
    log: (level, msg) => logger[level](msg),
    ...(endpoints.cluster !== undefined ? { cluster: endpoints.cluster } : {}),
  })
  host.start()
  stopWhenParentDies((msg) => logger.warn(msg))
  logger.info({ id, lanes: settings.lanes, slots: settings.slots, monitor: settings.monitor }, 'worker ready')
  return {
    id,
    host,
    async stop(graceful) {
      await host.stop({ graceful })
      await store.close()
    },
  }
}
