import { join } from 'node:path'
import { PROJECT_ROOT } from '../project-root.ts'
import { createLogger } from '../logger.ts'
import { catalogue, ValidationError } from '../../core/domain/index.ts'
import {
  acquireDataFolderLock,
  loadClusterIdentity,
  Monitor,
  MonitorQueries,
  monitorSettings,
  openDatabase,
  SpaceReserve,
  type Db,
} from '../../core/monitor/index.ts'
import { createApi, startApiServer } from '../../api/index.ts'
import { createZmqMonitorTransport } from '../../transport/zmq/index.ts'
import type { Settings } from '../settings.ts'
import { curvePublicKey, readAllowedKeys } from './curve.ts'
import { prepareDataFolder } from './data-folder.ts'
import { openStore } from './open-store.ts'
import { createWriteHealth } from './write-health.ts'

/** A running monitor process: engine, sockets, API and dashboard. */
export interface RunningMonitor {
  url: string
  monitor: Monitor
  stop(): Promise<void>
}

const UI_DIR = join(PROJECT_ROOT, 'ui/dist/')

/** Starts the monitor with its API and dashboard on the data folder (SPEC §9 `banzai monitor`). */
export async function startMonitor(settings: Settings): Promise<RunningMonitor> {
  const logger = createLogger(settings, 'banzai-monitor')
  if (settings.curveSecret && !settings.curveAllow && !settings.curveAllowAny)
    throw new ValidationError(
      'CURVE is on (--curve-secret) without an allow-list: any client with any key would be admitted. Give --curve-allow FILE (BANZAI_CURVE_ALLOW), or --curve-allow-any (BANZAI_CURVE_ALLOW_ANY) to accept that',
    )
  const data = prepareDataFolder(settings.data)
  const zmqPorts = Array.from({ length: 2 + settings.lanes.length }, (_, i) => settings.zmqPort + i)
  const startedAt = new Date().toISOString()
  // First the lock, so a second monitor on this folder opens nothing and exits at once.
  const lock = acquireDataFolderLock(data, { pid: process.pid, startedAt, api: null, zmqPorts })
  let db: Db
  try {
    db = openDatabase(join(data, 'banzai.db'))
  } catch (error) {
    lock.release()
    throw error
  }
  const store = await openStore({ ...settings, data })
  if (settings.curveSecret && !settings.curveAllow)
    logger.warn('CURVE without an allow-list (--curve-allow-any): any client with any key is admitted')
  const curve = settings.curveSecret
    ? {
        secretKey: settings.curveSecret,
        publicKey: curvePublicKey(settings.curveSecret),
        ...(settings.curveAllow ? { allow: readAllowedKeys(settings.curveAllow) } : {}),
      }
    : undefined
  const transport = await createZmqMonitorTransport({
    bind: settings.bind,
    port: settings.zmqPort,
    lanes: settings.lanes,
    ...(curve ? { curve } : {}),
    log: (msg) => logger.warn(msg),
  })
  const identity = loadClusterIdentity(db, data)
  const writeHealth = createWriteHealth()
  const monitor = new Monitor({
    db,
    identity,
    // Room for cancel, delete, gc and cache clear when the disk fills (released on SQLITE_FULL).
    reserve: new SpaceReserve(db, { file: join(data, 'space-reserve') }),
    store,
    transport,
    catalogue,
    settings: monitorSettings({
      leaseMs: settings.leaseMs,
      // Lost after two missed heartbeats (SPEC §6), never sooner than that.
      workerTimeoutMs: Math.round(2.5 * settings.heartbeatMs),
      // With IPFS each worker has its own node: prefer the one that holds the input.
      locality: settings.ipfsApi !== '',
      shardSize: settings.shardSize,
      retry: { maxAttempts: settings.maxAttempts, backoffBaseMs: 500, backoffMaxMs: 30_000 },
    }),
    onError: (message, error) => {
      logger.error({ err: error }, message)
      // The engine reports a refused transaction as 'commit failed…'; healthz says so until one succeeds.
      if (message.startsWith('commit failed')) writeHealth.failed(error)
    },
  })
  monitor.onCommitted(() => writeHealth.succeeded())
  monitor.start()
  const queries = MonitorQueries.over(db, {
    live: (id) => monitor.committedDetail(id),
    warn: (message) => logger.warn(message),
  })
  const app = createApi({
    monitor,
    queries,
    store,
    catalogue,
    transportInfo: () => ({ ...transport.endpoints(), cluster: identity.cluster }),
    auth: {
      ...(settings.token ? { token: settings.token } : {}),
      ...(settings.readToken ? { readToken: settings.readToken } : {}),
    },
    uiDir: UI_DIR,
    logger,
    writeFailure: () => writeHealth.failure() ?? monitor.spaceFailure(),
  })
  let server: Awaited<ReturnType<typeof startApiServer>>
  try {
    server = await startApiServer(app, { port: settings.port, host: settings.host })
  } catch (error) {
    await monitor.stop()
    await transport.close()
    await store.close()
    db.close()
    lock.release()
    throw error
  }
  lock.describe({ pid: process.pid, startedAt, api: server.url, zmqPorts })
  logger.info({ url: server.url, data, zmq: transport.endpoints() }, 'monitor ready')
  return {
    url: server.url,
    monitor,
    async stop() {
      await server.close()
      await monitor.stop()
      await transport.close()
      await store.close()
      db.close()
      lock.release()
    },
  }
}
