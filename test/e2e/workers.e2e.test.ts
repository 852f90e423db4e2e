import { rmSync } from 'node:fs'
import { Push } from 'zeromq'
import { afterEach, describe, expect, test } from 'vitest'
import { PROTOCOL_VERSION } from '../../core/domain/index.ts'
import type { Child } from '../support/child-process.ts'
import {
  freePorts,
  type MonitorProcess,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../support/banzai-processes.ts'

// Real processes: `banzai monitor` and `banzai worker`, over real TCP on 127.0.0.1.
const children: Child[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.kill('SIGKILL')
    await c.exited
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function setup(
  options: { workers?: number; lanes?: string[]; env?: Record<string, string> } = {},
): Promise<{ monitor: MonitorProcess; data: string; workers: Child[] }> {
  const data = tempDataDir()
  dirs.push(data)
  const [port, zmqPort] = [await freePorts(1), await freePorts(5)]
  const monitor = await startMonitorProcess({
    data,
    port,
    zmqPort,
    ...(options.lanes ? { lanes: options.lanes } : {}),
    ...(options.env ? { env: options.env } : {}),
  })
  children.push(monitor.child)
  const workers: Child[] = []
  for (let i = 0; i < (options.workers ?? 2); i++) {
    const w = await startWorkerProcess(monitor, { data })
    children.push(w)
    workers.push(w)
  }
  return { monitor, data, workers }
}

const workerOf = (pid: number | undefined) => (w: string) => w.endsWith(`-${pid}`)

describe('workers on real sockets', () => {
  test('monitor + 2 worker processes: 20 pipelines of utility tasks all succeed, and units ran on both', async () => {
    const { monitor, workers } = await setup()
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        monitor.api.submit({
          name: `u${i}`,
          cache: false,
          tasks: [{ call: 'SLEEP', args: [20 + i * 5] }, { call: 'NOOP' }],
        }),
      ),
    )
    const details = await monitor.api.waitForEnd(ids)
    expect(details.map((d) => d.status)).toEqual(Array(20).fill('succeeded'))
    const ran = new Set(details.flatMap((d) => d.tasks.map((t) => t.worker)))
    for (const w of workers)
      expect([...ran].some((id) => id !== null && workerOf(w.process.pid)(id))).toBe(true)
  })

  test('a worker killed mid-task: its unit is lost at once and succeeds on the other worker; a late report from the killed attempt is ignored', async () => {
    const { monitor, workers } = await setup()
    const id = await monitor.api.submit({ cache: false, tasks: [{ call: 'SLEEP', args: [2_500] }] })
    let victim: Child | undefined
    await monitor.api.until(async () => {
      const worker = (await monitor.api.detail(id)).tasks[0]!.worker
      victim = workers.find((w) => worker !== null && workerOf(w.process.pid)(worker))
      return victim !== undefined
    }, 'the sleep to start on a worker')
    victim!.kill('SIGKILL')
    const survivor = workers.find((w) => w !== victim)!
    await monitor.api.until(
      async () => (await monitor.api.detail(id)).tasks[0]!.attempt === 2,
      'a second attempt',
    )
    // Inject the dead attempt's success report, as if it had been delayed in the network.
    const transport = await monitor.api.call<{ reports: string }>('GET', '/transport')
    const push = new Push()
    push.connect(transport.reports)
    const stale = {
      type: 'OrderSucceeded',
      v: PROTOCOL_VERSION,
      orderId: `${id}.0.0.1`,
      workerId: 'ghost',
      output: 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
      refs: [],
      stats: {},
    }
    await push.send(JSON.stringify(stale))
    const [detail] = await monitor.api.waitForEnd([id])
    push.close()
    expect(detail!.status).toBe('succeeded')
    const events = await monitor.api.events(id)
    expect(events.some((e) => e.type === 'UnitWorkerLost' && e.data.attempt === 1)).toBe(true)
    const succeeded = events.filter((e) => e.type === 'UnitSucceeded')
    expect(succeeded).toHaveLength(1)
    expect(succeeded[0]!.type === 'UnitSucceeded' && succeeded[0]!.data.attempt).toBe(2)
    expect(
      events.some(
        (e) =>
          e.type === 'UnitStarted' && e.data.attempt === 2 && workerOf(survivor.process.pid)(e.data.worker),
      ),
    ).toBe(true)
    await monitor.api.until(
      async () =>
        (await monitor.api.events(id)).some((e) => e.type === 'UnitReportIgnored' && e.data.attempt === 1),
      'the stale report to be recorded as ignored',
      10_000,
    )
  })

  test('a gpu step waits queued, spending no attempt, until a gpu worker connects; then it runs there only', async () => {
    const { monitor, data } = await setup({ lanes: ['default', 'gpu'] })
    const id = await monitor.api.submit({
      cache: false,
      tasks: [{ call: 'NOOP' }, { call: 'SLEEP', args: [10], lane: 'gpu' }],
    })
    await monitor.api.until(
      async () => (await monitor.api.detail(id)).tasks[1]!.status === 'queued',
      'the gpu step to queue',
    )
    expect(
      (await monitor.api.events(id)).filter((e) => e.type === 'UnitDispatched' && e.data.step === 1),
    ).toEqual([])
    const gpu = await startWorkerProcess(monitor, { data, lanes: ['gpu'], slots: 1 })
    children.push(gpu)
    const [detail] = await monitor.api.waitForEnd([id])
    expect(detail!.status).toBe('succeeded')
    expect(workerOf(gpu.process.pid)(detail!.tasks[1]!.worker!)).toBe(true)
    expect(detail!.tasks[1]!.attempt).toBe(1)
  })

  test('cancel: a long SLEEP is aborted on its worker and the pipeline ends cancelled', async () => {
    const { monitor } = await setup({ workers: 1 })
    const id = await monitor.api.submit({ cache: false, tasks: [{ call: 'SLEEP', args: [120_000] }] })
    await monitor.api.until(
      async () => (await monitor.api.workers()).some((w) => w.inFlight.length === 1),
      'the sleep to run',
    )
    await monitor.api.call('POST', `/pipelines/${id}/cancel`)
    const [detail] = await monitor.api.waitForEnd([id])
    expect(detail!.status).toBe('cancelled')
    // The worker aborted the task (its slot is free again long before the 2-minute sleep would end).
    await monitor.api.until(
      async () => (await monitor.api.workers()).every((w) => w.inFlight.length === 0),
      'the worker to abort the sleep',
      20_000,
    )
  })

  test('fan-out: a perItem step over 200 items in shards of 20 runs on both workers and merges in item order', async () => {
    const { monitor, workers } = await setup()
    const id = await monitor.api.submit({
      cache: false,
      tasks: [
        { call: 'MAKE_DATASET', args: [200] },
        { call: 'ECHO_ITEMS', args: [5] },
      ],
    })
    const [detail] = await monitor.api.waitForEnd([id])
    expect(detail!.status).toBe('succeeded')
    expect(detail!.tasks[1]!.shards).toEqual({ total: 10, succeeded: 10, running: 0 })
    const response = await fetch(`${monitor.url}/api/blobs/${detail!.output}`)
    const manifest = (await response.json()) as { items: { id: string; echo: string }[] }
    expect(manifest.items.map((i) => i.id)).toEqual(
      Array.from({ length: 200 }, (_, i) => `synthetic/item-${String(i + 1).padStart(5, '0')}`),
    )
    const echoes = new Set(manifest.items.map((i) => i.echo))
    for (const w of workers) expect([...echoes].some(workerOf(w.process.pid))).toBe(true)
  })

  test('10,000 random and truncated frames to the reports socket: the monitor stays up and keeps serving a real worker', async () => {
    const { monitor } = await setup({ workers: 1 })
    const transport = await monitor.api.call<{ reports: string }>('GET', '/transport')
    const push = new Push({ sendHighWaterMark: 20_000 })
    push.connect(transport.reports)
    let seed = 42
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    const valid = JSON.stringify({
      type: 'Heartbeat',
      v: PROTOCOL_VERSION,
      workerId: 'x',
      host: 'h',
      pid: 1,
      lanes: ['default'],
      slots: 1,
      inFlight: [],
    })
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 4
      const frame =
        kind === 0
          ? Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)))
          : kind === 1
            ? valid.slice(0, Math.floor(random() * valid.length))
            : kind === 2
              ? JSON.stringify({ type: 'OrderSucceeded', v: 1, orderId: `nope.${i}`, workerId: 7 })
              : JSON.stringify({ type: 'Unknown', n: i })
      await push.send(frame)
    }
    push.close()
    const id = await monitor.api.submit({
      cache: false,
      tasks: [{ call: 'SLEEP', args: [10] }, { call: 'NOOP' }],
    })
    const [detail] = await monitor.api.waitForEnd([id])
    expect(detail!.status).toBe('succeeded')
    const metrics = await (await fetch(`${monitor.url}/api/metrics`)).text()
    expect(metrics).toMatch(/dropped/)
  })
})

describe('the monitor dies', () => {
  test('SIGKILL the monitor while workers are mid-task, restart it: workers reconnect, reports arrive, all succeed, no unit twice', async () => {
    const data = tempDataDir()
    dirs.push(data)
    const [port, zmqPort] = [await freePorts(1), await freePorts(5)]
    let monitor = await startMonitorProcess({ data, port, zmqPort })
    children.push(monitor.child)
    for (let i = 0; i < 2; i++) children.push(await startWorkerProcess(monitor, { data }))
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        monitor.api.submit({
          name: `m${i}`,
          cache: false,
          tasks: [{ call: 'SLEEP', args: [800 + i * 50] }, { call: 'NOOP' }],
        }),
      ),
    )
    await monitor.api.until(
      async () => (await monitor.api.workers()).reduce((n, w) => n + w.inFlight.length, 0) >= 3,
      'tasks to be running',
    )
    monitor.child.kill('SIGKILL')
    await monitor.child.exited
    monitor = await startMonitorProcess({ data, port, zmqPort })
    children.push(monitor.child)
    const details = await monitor.api.waitForEnd(ids)
    expect(details.map((d) => d.status)).toEqual(Array(6).fill('succeeded'))
    for (const id of ids) {
      const events = await monitor.api.events(id)
      const succeeded = events
        .filter((e) => e.type === 'UnitSucceeded')
        .map((e) => (e.type === 'UnitSucceeded' ? `${e.data.step}.${e.data.shard}` : ''))
      expect(new Set(succeeded).size).toBe(succeeded.length)
    }
  })
})

describe('CURVE across processes', () => {
  test('a worker with a listed key works; an unlisted key gets no order; a worker without a key refuses to start', async () => {
    const { generateCurveKeyPair } = await import('../../transport/zmq/index.ts')
    const { writeFileSync } = await import('node:fs')
    const server = generateCurveKeyPair()
    const listed = generateCurveKeyPair()
    const unlisted = generateCurveKeyPair()
    const data = tempDataDir()
    dirs.push(data)
    const allow = `${data}/allow.txt`
    writeFileSync(allow, `# workers allowed in\n${listed.publicKey}\n`)
    const [port, zmqPort] = [await freePorts(1), await freePorts(5)]
    const monitor = await startMonitorProcess({
      data,
      port,
      zmqPort,
      env: { BANZAI_CURVE_SECRET: server.secretKey, BANZAI_CURVE_ALLOW: allow },
    })
    children.push(monitor.child)
    expect((await monitor.api.call<{ curveServerKey: string }>('GET', '/transport')).curveServerKey).toBe(
      server.publicKey,
    )

    const intruder = await startWorkerProcess(monitor, {
      data,
      env: { BANZAI_CURVE_SECRET: unlisted.secretKey },
      waitListed: false,
    })
    children.push(intruder)
    const noKey = await startWorkerProcess(monitor, { data, waitListed: false })
    children.push(noKey)
    expect(await noKey.exited).not.toBe(0)

    const good = await startWorkerProcess(monitor, { data, env: { BANZAI_CURVE_SECRET: listed.secretKey } })
    children.push(good)
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        monitor.api.submit({ cache: false, tasks: [{ call: 'SLEEP', args: [10 + i] }] }),
      ),
    )
    const details = await monitor.api.waitForEnd(ids)
    expect(details.map((d) => d.status)).toEqual(Array(6).fill('succeeded'))
    for (const d of details) expect(workerOf(good.process.pid)(d.tasks[0]!.worker!)).toBe(true)
    expect((await monitor.api.workers()).map((w) => w.pid)).toEqual([good.process.pid])
  })
})
