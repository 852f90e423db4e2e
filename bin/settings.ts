import { z } from 'zod'
import { ValidationError } from '../core/domain/index.ts'

/** One setting: a flag and a BANZAI_* variable, parsed and checked once at the edge. */
export interface SettingDef<T> {
  key: string
  flag: string
  env: string
  doc: string
  default: T
  schema: z.ZodType<T>
  /** Which commands take it. */
  commands: string[]
}

const port = z.coerce.number().int().min(0).max(65_535)
const positiveMs = z.coerce.number().int().min(1).max(86_400_000)
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
)

function def<T>(
  key: string,
  flag: string,
  doc: string,
  dflt: T,
  schema: z.ZodType<T>,
  commands: string[],
): SettingDef<T> {
  const env = `BANZAI_${key.replace(/([A-Z])/g, '_$1').toUpperCase()}`
  return { key, flag, env, doc, default: dflt, schema, commands }
}

const SERVERS = ['up', 'monitor', 'demo']
const WORKERS = ['up', 'worker', 'demo']
const CLIENTS = ['run', 'status', 'events', 'cancel', 'retry', 'delete']

/** Every setting of every command: the README's table is generated from this list. */
export const SETTINGS: SettingDef<unknown>[] = [
  def('port', '--port <port>', 'HTTP port of the API and dashboard', 8080, port, SERVERS),
  def('host', '--host <host>', 'address the API listens on', '127.0.0.1', z.string().min(1), SERVERS),
  def(
    'data',
    '--data <dir>',
    'data folder (event log, block store, downloads)',
    './.banzai',
    z.string().min(1),
    [...SERVERS, 'worker', 'cache', 'gc'],
  ),
  def(
    'workers',
    '--workers <n>',
    'local worker processes started by `up` / `demo` (default: one per core)',
    0,
    z.coerce.number().int().min(0).max(64),
    ['up', 'demo'],
  ),
  def(
    'bind',
    '--bind <endpoint>',
    'where the monitor binds its ZeroMQ sockets (tcp://0.0.0.0 for other machines)',
    'tcp://127.0.0.1',
    z.string().regex(/^tcp:\/\/[^:]+$/, 'must be tcp://HOST'),
    SERVERS,
  ),
  def(
    'zmqPort',
    '--zmq-port <port>',
    'first of the consecutive ZeroMQ ports (reports, control, one per lane)',
    5555,
    port,
    SERVERS,
  ),
  def(
    'lanes',
    '--lanes <list>',
    'lanes (monitor: the lanes it serves; worker: the lanes it takes)',
    ['default'],
    list.pipe(z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/)).min(1)),
    [...SERVERS, 'worker'],
  ),
  def(
    'slots',
    '--slots <n>',
    'orders a worker runs at once',
    1,
    z.coerce.number().int().min(1).max(256),
    WORKERS,
  ),
  def(
    'monitor',
    '--monitor <url>',
    'URL of the monitor API, for workers and client commands',
    'http://127.0.0.1:8080',
    z.string().url(),
    ['worker', ...CLIENTS],
  ),
  def(
    'leaseMs',
    '--lease-ms <ms>',
    'lease of a unit without news from its worker',
    5_000,
    positiveMs,
    SERVERS,
  ),
  def(
    'fetchHosts',
    '--fetch-hosts <list>',
    'hosts FETCH_FESTVOX may download from (empty: any but link-local, metadata and the monitor API)',
    [],
    list.pipe(z.array(z.string().min(1))),
    WORKERS,
  ),
  def('heartbeatMs', '--heartbeat-ms <ms>', 'worker heartbeat interval', 1_000, positiveMs, WORKERS),
  def(
    'workerBind',
    '--worker-bind <endpoint>',
    "where a worker's own order socket binds (port 0: any free one); across machines tcp://0.0.0.0:PORT",
    'tcp://127.0.0.1:0',
    z.string().regex(/^tcp:\/\/[^:]+:\d+$/, 'must look like tcp://HOST:PORT'),
    WORKERS,
  ),
  def(
    'advertise',
    '--advertise <host>',
    "host the monitor should connect to for this worker's orders (default: the bound one)",
    '',
    z.string(),
    WORKERS,
  ),
  def(
    'shardSize',
    '--shard-size <n>',
    'items per shard of a per-item step',
    50,
    z.coerce.number().int().min(1).max(1_000_000),
    SERVERS,
  ),
  def(
    'maxAttempts',
    '--max-attempts <n>',
    'failed attempts a unit may have before its step fails',
    3,
    z.coerce.number().int().min(1).max(100),
    SERVERS,
  ),
  def(
    'ipfsApi',
    '--ipfs-api <url>',
    'use this IPFS node (kubo RPC API) as the content store instead of the embedded one',
    '',
    z.union([z.literal(''), z.string().url()]),
    [...SERVERS, 'worker', 'gc'],
  ),
  def(
    'curveSecret',
    '--curve-secret <z85>',
    'CurveZMQ secret key (monitor: turns CURVE on; worker: its own key)',
    '',
    z.union([z.literal(''), z.string().length(40)]),
    [...SERVERS, 'worker'],
  ),
  def(
    'curveAllow',
    '--curve-allow <file>',
    'file of allowed worker public keys (one z85 key per line)',
    '',
    z.string(),
    SERVERS,
  ),
  def(
    'curveAllowAny',
    '--curve-allow-any',
    'with CURVE and no allow-list, admit a client with any key (refused without this flag)',
    false,
    z.union([z.boolean(), z.enum(['1', 'true', '0', 'false']).transform((v) => v === '1' || v === 'true')]),
    SERVERS,
  ),
  def(
    'token',
    '--token <token>',
    'bearer token required for writes (and sent by client commands and workers)',
    '',
    z.string(),
    [...SERVERS, 'worker', ...CLIENTS, 'gc', 'cache'],
  ),
  def('readToken', '--read-token <token>', 'bearer token required for reads too', '', z.string(), [
    ...SERVERS,
    'worker',
  ]),
  def(
    'allowedRoots',
    '--allowed-roots <list>',
    'folders file: URLs may be fetched from (besides the data folder)',
    [] as string[],
    list,
    [...WORKERS],
  ),
  def(
    'logLevel',
    '--log-level <level>',
    'log level (debug, info, warn, error, silent)',
    'info',
    z.enum(['debug', 'info', 'warn', 'error', 'silent']),
    [...SERVERS, 'worker'],
  ),
]

/** The parsed settings (keys of SETTINGS). */
export interface Settings {
  port: number
  host: string
  data: string
  workers: number
  bind: string
  zmqPort: number
  lanes: string[]
  slots: number
  monitor: string
  leaseMs: number
  heartbeatMs: number
  workerBind: string
  advertise: string
  shardSize: number
  maxAttempts: number
  ipfsApi: string
  curveSecret: string
  curveAllow: string
  curveAllowAny: boolean
  token: string
  readToken: string
  allowedRoots: string[]
  fetchHosts: string[]
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
}

/**
 * Resolves settings: flag, else BANZAI_* variable, else default; each value validated once,
 * with an error naming the flag or variable and the rule.
 */
export function resolveSettings(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const out: Record<string, unknown> = {}
  const errors: { path: string; message: string }[] = []
  for (const s of SETTINGS) {
    const fromFlag = flags[s.key]
    const raw = fromFlag !== undefined ? fromFlag : env[s.env]
    if (raw === undefined || raw === '') {
      out[s.key] = s.default
      continue
    }
    const parsed = s.schema.safeParse(raw)
    if (parsed.success) out[s.key] = parsed.data
    else {
      const where = fromFlag !== undefined ? s.flag.split(' ')[0]! : s.env
      errors.push({
        path: where,
        message: `${where} ${parsed.error.issues[0]?.message ?? 'is invalid'}, got ${JSON.stringify(raw)}`,
      })
    }
  }
  if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join('; '), errors)
  return out as unknown as Settings
}

/** The settings table of the README, in Markdown. */
export function settingsTable(): string {
  const rows = SETTINGS.map(
    (s) =>
      `| \`${s.flag.split(' ')[0]}\` | \`${s.env}\` | ${JSON.stringify(s.default)} | ${s.doc} | ${s.commands.join(', ')} |`,
  )
  return ['| flag | variable | default | meaning | commands |', '|---|---|---|---|---|', ...rows].join('\n')
}
