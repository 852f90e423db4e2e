import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import { catalogue } from '../../core/domain/index.ts'
import { Monitor, MonitorQueries, monitorSettings, openDatabase } from '../../core/monitor/index.ts'
import { createApi, startApiServer } from '../../api/index.ts'
import { createZmqMonitorTransport } from '../../transport/zmq/index.ts'
import type { Settings } from '../settings.ts'
import { curvePublicKey, readAllowedKeys } from './curve.ts'
import { openStore } from './open-store.ts'

/** A running monitor process: engine, sockets, API and dashboard. */
export interface RunningMonitor {
  url: string
  monitor: Monitor
  stop(): Promise<void>
}

const UI_DIR = fileURLToPath(new URL('../../ui/dist/', import.meta.url))

/** Starts the monitor with its API and dashboard on the data folder (SPEC §9 `banzai monitor`). */
export async function startMonitor(settings: Settings): Promise<RunningMonitor> {
  const logger = pino({ level: settings.logLevel, name: 'banzai-monitor' })
  const data = resolve(settings.data)
  mkdirSync(data, { recursive: true })
  const db = openDatabase(join(data, 'banzai.db'))
  const store = await openStore({ ...settings, data })
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
  const monitor = new Monitor({
    db,
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
    onError: (message, error) => logger.error({ err: error }, message),
  })
  monitor.start()
  const queries = MonitorQueries.over(db)
  const app = createApi({
    monitor,
    queries,
    store,
    catalogue,
    transportInfo: () => transport.endpoints(),
    auth: {
      ...(settings.token ? { token: settings.token } : {}),
      ...(settings.readToken ? { readToken: settings.readToken } : {}),
    },
    uiDir: UI_DIR,
    logger,
  })
  let server: Awaited<ReturnType<typeof startApiServer>>
  try {
    server = await startApiServer(app, { port: settings.port, host: settings.host })
  } catch (error) {
    await monitor.stop()
    await transport.close()
    await store.close()
    db.close()
    throw error
  }
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
    },
  }
}
