import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { catalogue, type Implementations, isEnded, type Store } from '../../core/domain/index.ts'
import {
  type Clock,
  type Db,
  EventLog,
  MemoTable,
  Monitor,
  MonitorQueries,
  type MonitorSettings,
  monitorSettings,
  openDatabase,
  PipelineTable,
  SpaceReserve,
  TaskLogTable,
} from '../../core/monitor/index.ts'
import { createMemoryTransport, type MemoryWorkerTransport } from '../../transport/memory/index.ts'
import { createMemoryStore } from '../../transport/memory/index.ts'
import { utilityTasks } from '../../tasks/utility/index.ts'
import { createWorkerHost, type WorkerHost } from '../../tasks/worker/index.ts'

/** Options of an in-process deployment: a monitor on a real SQLite file, workers over the memory transport. */
export interface InProcessOptions {
  dir?: string
  workers?: number
  lanes?: string[]
  slots?: number
  settings?: Partial<MonitorSettings>
  store?: Store
  /** The tasks the workers run (default: the utility tasks). */
  implementations?: Partial<Implementations>
  heartbeatMs?: number
  /** The monitor's clock (tests of clock jumps). */
  clock?: Clock
  /** Keep a space reserve of this many bytes inside the database (tests of a full disk). */
  reserveBytes?: number
  /** Hears what the read side says it rebuilt (a snapshot row it could not read). */
  warn?: (message: string) => void
}

/** A running in-process deployment, for tests. */
export interface InProcess {
  dir: string
  db: Db
  store: Store
  monitor: Monitor
  queries: MonitorQueries
  /** The monitor's settings, as resolved. */
  settings: MonitorSettings
  /** The event log and pipeline table the read side (`queries`) reads, for tests that read or spy on them. */
  log: EventLog
  pipelines: PipelineTable
  /** The memory transport, for tests that play a worker by hand. */
  transport: ReturnType<typeof createMemoryTransport>
  /** Adds a worker; `store` gives it its own content store (e.g. its own IPFS node). */
  addWorker(lanes?: string[], id?: string, store?: Store): WorkerHost
  /** Drops a worker's link as SIGKILL would: the monitor hears it go; the host runs on, unheard. */
  crashWorker(id: string): void
  /** Resolves when every listed pipeline has ended (succeeded, failed or cancelled). */
  waitForEnd(ids: string[], timeoutMs?: number): Promise<void>
  /** Resolves when a predicate over the committed state holds; checked after each commit. */
  waitUntil(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

/** Starts a monitor and workers in this process (real SQLite file, memory transport and store). */
export function startInProcess(options: InProcessOptions = {}): InProcess {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'banzai-test-'))
  const db = openDatabase(join(dir, 'banzai.db'))
  const store = options.store ?? createMemoryStore()
  const transport = createMemoryTransport()
  const settings = monitorSettings({
    leaseMs: 1_000,
    shardSize: 10,
    retry: { maxAttempts: 3, backoffBaseMs: 20, backoffMaxMs: 200 },
    ...options.settings,
  })
  const monitor = new Monitor({
    db,
    store,
    transport: transport.monitor,
    catalogue,
    settings,
    onError: () => {},
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.reserveBytes ? { reserve: new SpaceReserve(db, { bytes: options.reserveBytes }) } : {}),
  })
  const log = new EventLog(db)
  const pipelines = new PipelineTable(db)
  const queries = new MonitorQueries(log, pipelines, new MemoTable(db), new TaskLogTable(db), {
    live: (id) => monitor.committedDetail(id),
    ...(options.warn ? { warn: options.warn } : {}),
  })
  const hosts: WorkerHost[] = []
  const links = new Map<string, MemoryWorkerTransport>()
  const implementations = options.implementations ?? utilityTasks
  const heartbeatMs = options.heartbeatMs ?? 100

  function addWorker(
    lanes = options.lanes ?? ['default'],
    id = `w${hosts.length + 1}`,
    workerStore = store,
  ): WorkerHost {
    const link = transport.connectWorker(lanes)
    links.set(id, link)
    const host = createWorkerHost({
      transport: link,
      implementations,
      store: workerStore,
      settings: { dataDir: dir, allowedRoots: [], workerId: id },
      lanes,
      slots: options.slots ?? 2,
      heartbeatMs,
      host: 'test',
      pid: process.pid,
      cluster: monitor.identity.cluster,
    })
    host.start()
    hosts.push(host)
    return host
  }

  function waitUntil(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (predicate()) return resolve()
      const timer = setTimeout(() => {
        off()
        reject(new Error(`timed out waiting for ${what}`))
      }, timeoutMs)
      const off = monitor.onCommitted(() => {
        if (!predicate()) return
        clearTimeout(timer)
        off()
        resolve()
      })
    })
  }

  monitor.start()
  for (let i = 0; i < (options.workers ?? 2); i++) addWorker()
  return {
    dir,
    db,
    store,
    monitor,
    queries,
    settings,
    log,
    pipelines,
    transport,
    addWorker,
    crashWorker: (id) => links.get(id)?.simulateCrash(),
    waitUntil,
    waitForEnd: (ids, timeoutMs) =>
      waitUntil(
        () => ids.every((id) => isEnded(queries.detail(id).status)),
        `pipelines ${ids.join(', ')} to end`,
        timeoutMs,
      ),
    async stop() {
      await Promise.all(hosts.map((h) => h.stop({ graceful: false })))
      await monitor.stop()
      await transport.monitor.close()
      db.close()
      if (!options.dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}
