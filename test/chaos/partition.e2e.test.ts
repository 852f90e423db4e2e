import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import type { StoredEvent, TransportEndpoints } from '../../core/domain/index.ts'
import { useProcessScope } from '../support/process-scope.ts'
import {
  freePorts,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../support/banzai-processes.ts'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts'

// Chaos: a network partition. Worker A reaches the monitor only through userspace TCP proxies
// (one per ZeroMQ endpoint), which the test severs while A runs a SLEEP and restores after A's
// lease has expired and the unit has moved to worker B.
const { children, cleanups } = useProcessScope()

const SLEEP_MS = 3_000

/** Rewrites `tcp://host:port` to the proxy's port on 127.0.0.1. */
function viaProxy(proxy: TcpProxy): string {
  return `tcp://127.0.0.1:${proxy.port}`
}

function targetOf(endpoint: string): { host: string; port: number } {
  const url = new URL(endpoint.replace(/^tcp:/, 'http:'))
  return { host: url.hostname, port: Number(url.port) }
}

/** Serves `GET /api/transport` with `endpoints`, so a worker pointed here connects through them. */
async function serveDiscovery(
  endpoints: TransportEndpoints,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.url !== '/api/transport') return void response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(endpoints))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** Whether an embedded store holds a blob: a root record in `roots/`, or bytes in a pack of `packs/`. */
function hasBlob(storeDir: string): boolean {
  const roots = join(storeDir, 'roots')
  const packs = join(storeDir, 'packs')
  // A worker's one-block blob is packed (`packs/*.pack`); a larger one has a `roots/<cid>.json` record.
  return (
    (existsSync(roots) && readdirSync(roots).some((f) => f.endsWith('.json') || f.endsWith('.raw'))) ||
    (existsSync(packs) &&
      readdirSync(packs).some((f) => f.endsWith('.pack') && statSync(join(packs, f)).size > 0))
  )
}

test('partition: a worker cut off mid-SLEEP loses its lease, the unit runs on the other worker; after the link heals its stale report is recorded as UnitReportIgnored and nothing runs twice', async () => {
  const data = tempDataDir('banzai-chaos-')
  // Worker A keeps its own store: its SLEEP's output blob appearing there tells the test that A
  // finished while cut off (A's result is never read: the monitor ignores it).
  const aData = tempDataDir('banzai-chaos-a-')
  cleanups.push(
    () => rmSync(data, { recursive: true, force: true }),
    () => rmSync(aData, { recursive: true, force: true }),
  )
  const [port, zmqPort] = [await freePorts(1), await freePorts(3)]
  const monitor = await startMonitorProcess({ data, port, zmqPort, leaseMs: 1_000 })
  children.push(monitor.child)

  const real = await monitor.api.call<TransportEndpoints>('GET', '/transport')
  const reports = await startTcpProxy(targetOf(real.reports))
  const control = await startTcpProxy(targetOf(real.control))
  // Orders reach A on its own endpoint (addressed dispatch): cutting reports and control cuts A off.
  const proxies = [reports, control]
  cleanups.push(() => Promise.all(proxies.map((p) => p.close())).then(() => undefined))
  const discovery = await serveDiscovery({
    ...real,
    reports: viaProxy(reports),
    control: viaProxy(control),
  })
  cleanups.push(() => discovery.close())

  const a = await startWorkerProcess(monitor, { data: aData, slots: 1, discoveryUrl: discovery.url })
  children.push(a)
  const isA = (worker: string | null) => worker !== null && worker.endsWith(`-${a.process.pid}`)
  expect(reports.accepted() + control.accepted()).toBeGreaterThanOrEqual(2)

  const id = await monitor.api.submit({
    name: 'partition',
    cache: false,
    tasks: [{ call: 'SLEEP', args: [SLEEP_MS] }],
  })
  const has = async (match: (e: StoredEvent) => boolean) => (await monitor.api.events(id)).some(match)
  await monitor.api.until(
    () => has((e) => e.type === 'UnitStarted' && e.data.attempt === 1 && isA(e.data.worker)),
    'attempt 1 to start on worker A',
  )

  for (const p of proxies) p.sever()
  const severedAt = Date.now()
  const b = await startWorkerProcess(monitor, { data, slots: 1 })
  children.push(b)
  const isB = (worker: string | null) => worker !== null && worker.endsWith(`-${b.process.pid}`)

  await monitor.api.until(
    // Whichever comes first: two missed heartbeats (lost as silent) or the lease.
    () =>
      has(
        (e) =>
          ((e.type === 'UnitWorkerLost' && e.data.cause === 'silent') || e.type === 'UnitLeaseExpired') &&
          e.data.attempt === 1 &&
          isA(e.data.worker),
      ),
    'A to be lost as silent or its lease to expire',
  )
  await monitor.api.until(
    // Attempt 2 may first go to A (still registered until it misses two heartbeats, then lost).
    () => has((e) => e.type === 'UnitStarted' && e.data.attempt >= 2 && isB(e.data.worker)),
    'a later attempt to start on worker B',
  )
  await monitor.api.until(
    () => Promise.resolve(hasBlob(join(aData, 'store'))),
    'worker A to finish its SLEEP while cut off',
    10_000,
  )
  // The report A could not deliver is now waiting in A; the unit is still running on B.
  expect((await monitor.api.detail(id)).status).toBe('running')
  expect((await monitor.api.workers()).some((w) => w.pid === a.process.pid)).toBe(false)

  for (const p of proxies) p.restore()
  const restoredAt = Date.now()
  await monitor.api.until(
    () => has((e) => e.type === 'UnitReportIgnored' && e.data.attempt === 1),
    "A's stale report to arrive",
    15_000,
  )
  const ignoredAfterMs = Date.now() - restoredAt
  await monitor.api.until(
    async () => (await monitor.api.workers()).some((w) => w.pid === a.process.pid),
    'worker A to be listed again',
    15_000,
  )

  const [detail] = await monitor.api.waitForEnd([id])
  expect(detail!.status).toBe('succeeded')
  const events = await monitor.api.events(id)
  const at = (e: StoredEvent | undefined) => (e ? Date.parse(e.at) : NaN)
  const expired = events.find((e) => e.type === 'UnitLeaseExpired')
  const ignored = events.filter((e) => e.type === 'UnitReportIgnored')
  const succeeded = events.filter((e) => e.type === 'UnitSucceeded')
  console.log(
    `partition: severed→UnitLeaseExpired ${at(expired) - severedAt} ms; restore→UnitReportIgnored seen ${ignoredAfterMs} ms; ` +
      `${ignored.length} UnitReportIgnored (${ignored.map((e) => (e.type === 'UnitReportIgnored' ? `attempt ${e.data.attempt}: ${e.data.reason}` : '')).join('; ')}); ` +
      `events: ${events.map((e) => e.type).join(', ')}`,
  )

  // Exactly one success, from B's attempt; the stale report of attempt 1 recorded as ignored
  // (superseded), before the pipeline ended, and never as a success.
  // Orders are addressed: A, still registered until it misses two heartbeats, may be sent attempt 2
  // too (and lose it the same way), so B's success is attempt 2 or later.
  expect(succeeded).toHaveLength(1)
  const won = succeeded[0]!.type === 'UnitSucceeded' ? succeeded[0]!.data.attempt : 0
  expect(won).toBeGreaterThanOrEqual(2)
  expect(events.some((e) => e.type === 'UnitStarted' && e.data.attempt === won && isB(e.data.worker))).toBe(
    true,
  )
  expect(ignored.length).toBeGreaterThanOrEqual(1)
  for (const e of ignored)
    expect(
      e.type === 'UnitReportIgnored' && {
        stale: e.data.attempt < won,
        superseded: e.data.reason.startsWith('superseded'),
      },
    ).toEqual({ stale: true, superseded: true })
  const lastIgnored = Math.max(...ignored.map((e) => e.pipelineSeq))
  expect(lastIgnored).toBeLessThan(events.find((e) => e.type === 'PipelineSucceeded')!.pipelineSeq)
  expect(events.filter((e) => e.type === 'UnitFailed')).toEqual([])
  // One UnitReportIgnored per stale attempt: the worker re-sends an unacknowledged final report
  // (on reconnect, every few heartbeats while cut off), and a repeat of a report already
  // recorded must record nothing (decideReport's own rule for current attempts).
  const ignoredAttempts = ignored.map((e) => (e.type === 'UnitReportIgnored' ? e.data.attempt : 0))
  expect(new Set(ignoredAttempts).size).toBe(ignored.length)
})
