import { rmSync } from 'node:fs'
import { expect, test } from 'vitest'
import { spawnTs } from '../support/child-process.ts'
import { useProcessScope } from '../support/process-scope.ts'
import {
  ApiHelper,
  freePorts,
  type MonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../support/banzai-processes.ts'

// Finding 4 of issue 15: SIGKILL `banzai up` and its workers lived on, then took the orders of
// another `up` on another data folder on the same ports. Now `up`'s own workers stop with it, and a
// worker that outlives its monitor (started by hand) refuses orders of another cluster.
const { children, cleanups } = useProcessScope()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function startUp(data: string, port: number, zmq: number, workers: number) {
  const up = spawnTs('bin/banzai.js', [
    'up',
    '--workers',
    String(workers),
    '--data',
    data,
    '--port',
    String(port),
    '--zmq-port',
    String(zmq),
    '--lease-ms',
    '1000',
    '--max-attempts',
    '10',
    '--log-level',
    'warn',
  ])
  children.push(up)
  return up
}

test('SIGKILL up: its workers exit, and an orphan takes no order from another up on another data folder on the same ports', async () => {
  const [first, second] = [tempDataDir('banzai-orphan-a-'), tempDataDir('banzai-orphan-b-')]
  cleanups.push(() => {
    for (const d of [first, second]) rmSync(d, { recursive: true, force: true })
  })
  const [port, zmq] = [await freePorts(1), await freePorts(3)]
  const upA = startUp(first, port, zmq, 2)
  await upA.waitForLine((l) => l.startsWith('banzai is up: '), 'the first up', 90_000)
  const apiA = new ApiHelper(`http://127.0.0.1:${port}`)
  const monitorA: MonitorProcess = { child: upA, url: apiA.url, api: apiA }
  const localPids = (await apiA.workers()).map((w) => w.pid)
  expect(localPids).toHaveLength(2)
  // A worker started by hand for the first folder: nothing tells it its monitor died.
  const orphan = await startWorkerProcess(monitorA, { data: first, slots: 2 })
  children.push(orphan)

  upA.kill('SIGKILL')
  await upA.exited
  const upB = startUp(second, port, zmq, 1)
  await upB.waitForLine((l) => l.startsWith('banzai is up: '), 'the second up', 90_000)
  const apiB = new ApiHelper(`http://127.0.0.1:${port}`)

  // up's own workers noticed their parent died and stopped (well within their grace period).
  await apiB.until(
    async () => Promise.resolve(localPids.every((pid) => !isAlive(pid))),
    'the first up’s workers to exit',
    20_000,
  )

  const ids = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      apiB.submit({ cache: false, tasks: [{ call: 'MAKE_DATASET', args: [3 + i] }, { call: 'NOOP' }] }),
    ),
  )
  const details = await apiB.waitForEnd(ids)
  expect(details.map((d) => d.status)).toEqual(Array(6).fill('succeeded'))
  const orphanId = `-${orphan.process.pid}`
  for (const id of ids) {
    const events = await apiB.events(id)
    expect(events.some((e) => e.type === 'UnitStarted' && e.data.worker.endsWith(orphanId))).toBe(false)
  }
  expect((await apiB.workers()).some((w) => w.pid === orphan.process.pid)).toBe(false)
  expect(isAlive(orphan.process.pid!)).toBe(true)
})
