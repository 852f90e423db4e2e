/** The rule names a setting's value is checked against (the zod schemas live in setting-rules.ts). */
export type SettingRule =
  | 'port'
  | 'positiveMs'
  | 'workers'
  | 'slots'
  | 'shardSize'
  | 'maxAttempts'
  | 'nonEmpty'
  | 'text'
  | 'bind'
  | 'lanes'
  | 'url'
  | 'optionalUrl'
  | 'curveSecret'
  | 'folders'
  | 'hosts'
  | 'workerBind'
  | 'boolean'
  | 'logLevel'
  | 'logFormat'

/** One setting: a flag and a BANZAI_* variable; this list is plain data so `--help` loads no validator. */
export interface SettingDef {
  key: string
  flag: string
  env: string
  doc: string
  default: unknown
  rule: SettingRule
  /** Which commands take it. */
  commands: string[]
}

function def(
  key: string,
  flag: string,
  doc: string,
  dflt: unknown,
  rule: SettingRule,
  commands: string[],
): SettingDef {
  const env = `BANZAI_${key.replace(/([A-Z])/g, '_$1').toUpperCase()}`
  return { key, flag, env, doc, default: dflt, rule, commands }
}

const SERVERS = ['up', 'monitor', 'demo']
const WORKERS = ['up', 'worker', 'demo']
/** The commands that talk to a running monitor over its REST API. */
export const CLIENTS = [
  'run',
  'status',
  'events',
  'cancel',
  'retry',
  'logs',
  'workers',
  'tasks',
  'cache explain',
  'get',
  'delete',
]

/** Every setting of every command: the README's table is generated from this list. */
export const SETTINGS: SettingDef[] = [
  def('port', '--port <port>', 'HTTP port of the API and dashboard', 8080, 'port', SERVERS),
  def('host', '--host <host>', 'address the API listens on', '127.0.0.1', 'nonEmpty', SERVERS),
  def('data', '--data <dir>', 'data folder (event log, block store, downloads)', './.banzai', 'nonEmpty', [
    ...SERVERS,
    'worker',
    'cache clear',
    'gc',
  ]),
  def(
    'workers',
    '--workers <n>',
    'local worker processes started by `up` / `demo` (unset: one per core, at least 2 for `demo`; 0: none)',
    null,
    'workers',
    ['up', 'demo'],
  ),
  def(
    'bind',
    '--bind <endpoint>',
    'where the monitor binds its ZeroMQ sockets (tcp://0.0.0.0 for other machines)',
    'tcp://127.0.0.1',
    'bind',
    SERVERS,
  ),
  def(
    'zmqPort',
    '--zmq-port <port>',
    'first of the consecutive ZeroMQ ports (reports, control, one per lane)',
    5555,
    'port',
    SERVERS,
  ),
  def(
    'lanes',
    '--lanes <list>',
    'lanes (monitor: the lanes it serves; worker: the lanes it takes)',
    ['default'],
    'lanes',
    [...SERVERS, 'worker'],
  ),
  def('slots', '--slots <n>', 'orders a worker runs at once', 1, 'slots', WORKERS),
  def(
    'monitor',
    '--monitor <url>',
    'URL of the monitor API, for workers and client commands',
    'http://127.0.0.1:8080',
    'url',
    ['worker', ...CLIENTS],
  ),
  def(
    'leaseMs',
    '--lease-ms <ms>',
    'lease of a unit without news from its worker',
    5_000,
    'positiveMs',
    SERVERS,
  ),
  def(
    'workerBind',
    '--worker-bind <endpoint>',
    "where a worker's own order socket binds (port 0: any free one); across machines tcp://0.0.0.0:PORT",
    'tcp://127.0.0.1:0',
    'workerBind',
    WORKERS,
  ),
  def(
    'advertise',
    '--advertise <host>',
    "host the monitor should connect to for this worker's orders (default: the bound one)",
    '',
    'text',
    WORKERS,
  ),
  def(
    'fetchHosts',
    '--fetch-hosts <list>',
    'hosts FETCH_FESTVOX may download from (empty: any but link-local, metadata and the monitor API)',
    [],
    'hosts',
    WORKERS,
  ),
  def('heartbeatMs', '--heartbeat-ms <ms>', 'worker heartbeat interval', 1_000, 'positiveMs', WORKERS),
  def('shardSize', '--shard-size <n>', 'items per shard of a per-item step', 50, 'shardSize', SERVERS),
  def(
    'maxAttempts',
    '--max-attempts <n>',
    'failed attempts a unit may have before its step fails',
    3,
    'maxAttempts',
    SERVERS,
  ),
  def(
    'ipfsApi',
    '--ipfs-api <url>',
    'use this IPFS node (kubo RPC API) as the content store instead of the embedded one',
    '',
    'optionalUrl',
    [...SERVERS, 'worker', 'gc'],
  ),
  def(
    'curveSecret',
    '--curve-secret <z85>',
    'CurveZMQ secret key (monitor: turns CURVE on; worker: its own key)',
    '',
    'curveSecret',
    [...SERVERS, 'worker'],
  ),
  def(
    'curveAllow',
    '--curve-allow <file>',
    'file of allowed worker public keys (one z85 key per line)',
    '',
    'text',
    SERVERS,
  ),
  def(
    'curveAllowAny',
    '--curve-allow-any',
    'with CURVE and no allow-list, admit a client with any key (refused without this flag)',
    false,
    'boolean',
    SERVERS,
  ),
  def(
    'token',
    '--token <token>',
    'bearer token required for writes (and sent by client commands and workers)',
    '',
    'text',
    [...SERVERS, 'worker', ...CLIENTS, 'gc', 'cache clear'],
  ),
  def('readToken', '--read-token <token>', 'bearer token required for reads too', '', 'text', [
    ...SERVERS,
    'worker',
  ]),
  def(
    'allowedRoots',
    '--allowed-roots <list>',
    'folders file: URLs may be fetched from (besides the data folder)',
    [],
    'folders',
    [...WORKERS],
  ),
  def(
    'logLevel',
    '--log-level <level>',
    'log level (debug, info, warn, error, silent); HTTP request lines only at debug',
    'info',
    'logLevel',
    [...SERVERS, 'worker'],
  ),
  def(
    'logFormat',
    '--log-format <format>',
    'logs on stderr: auto (readable lines on a terminal, JSON lines otherwise), pretty or json',
    'auto',
    'logFormat',
    [...SERVERS, 'worker'],
  ),
]
