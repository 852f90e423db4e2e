import type { HttpBindings } from '@hono/node-server'
import type { Logger } from 'pino'
import type { Catalogue, Store } from '../core/domain/index.ts'
import type { MonitorPort, MonitorReadModels } from '../core/monitor/monitor-port.ts'
import type { ReplayLimits } from './http/replay-gate.ts'

/** Tokens of SPEC §7: `token` guards writes (and reads), `readToken` guards reads only. */
export interface ApiAuth {
  token?: string
  readToken?: string
}

/** What the API is built from (SPEC §7). Dependencies are parameters. */
export interface ApiDeps {
  /** The monitor as the API may use it: requests, the committed log, stats. */
  monitor: MonitorPort
  /** The read models (committed rows). */
  queries: MonitorReadModels
  store: Store
  catalogue: Catalogue
  /** The ZeroMQ endpoints served by `GET /api/transport`; null answers 503. */
  transportInfo: () => unknown
  auth?: ApiAuth
  /** Folder of the built dashboard, served at `/` with an SPA fallback to index.html. */
  uiDir?: string
  /** Largest request body, bytes (default 1 MiB). */
  bodyLimitBytes?: number
  /** One line per request and every unexpected error (default: silent). */
  logger?: Logger
  /** Interval of SSE heartbeat comments, ms (default 15000). */
  sseHeartbeatMs?: number
  /** Back-pressure of `GET /events` (SPEC §10): streams admitted, readers of history at once, page size. */
  eventStreamLimits?: ReplayLimits
  /** Why the monitor's writes fail now, or null while they work: `GET /healthz` answers 503 with it. */
  writeFailure?: () => string | null
}

/** Hono environment of the app: node's request and response, the request id and logger set per request. */
export interface AppEnv {
  Bindings: HttpBindings
  Variables: {
    requestId: string
    logger: Logger
  }
}
