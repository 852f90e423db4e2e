import { rmSync } from 'node:fs'
import { expect, test } from 'vitest'
import { spawnTs } from '../support/child-process.ts'
import { useProcessScope } from '../support/process-scope.ts'
import {
  freePorts,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../support/banzai-processes.ts'

// One monitor per data folder (SPEC §5), with real processes: a second monitor exits 2 at once
// naming the holder; a worker on the same folder is not refused; after SIGKILL a restart gets the
// lock at once, because the kernel drops the dead process's lock.
const { children, cleanups } = useProcessScope()

test('a second monitor on a held data folder exits 2 naming the holder; a restart after SIGKILL takes it', async () => {
  const data = tempDataDir('banzai-lock-')
  cleanups.push(() => rmSync(data, { recursive: true, force: true }))
  const [portA, zmqA, portB, zmqB] = [
    await freePorts(1),
    await freePorts(3),
    await freePorts(1),
    await freePorts(3),
  ]

  const first = await startMonitorProcess({ data, port: portA, zmqPort: zmqA })
  children.push(first.child)
  const firstPid = first.child.process.pid!

  // A worker shares the folder (its store, its downloads) and never takes the lock.
  const worker = await startWorkerProcess(first, { data })
  children.push(worker)

  const second = spawnTs('bin/banzai.js', [
    'monitor',
    '--data',
    data,
    '--port',
    String(portB),
    '--zmq-port',
    String(zmqB),
    '--log-level',
    'warn',
  ])
  children.push(second)
  expect(await second.exited).toBe(2)
  const said = second.stderr()
  expect(said).toContain(`in use by another monitor (pid ${firstPid}`)
  expect(said).toContain(first.url)
  expect(said).toContain(String(zmqA))
  // The loser opened nothing: the holder still answers and still takes writes.
  expect((await first.api.call<{ status: string }>('GET', '/healthz')).status).toBe('ok')
  const id = await first.api.submit({ tasks: [{ call: 'NOOP' }], cache: false })
  expect((await first.api.waitForEnd([id]))[0]!.status).toBe('succeeded')

  // SIGKILL: no clean-up runs, yet the lock is free at once for the restart.
  first.child.kill('SIGKILL')
  await first.child.exited
  const restarted = await startMonitorProcess({ data, port: portB, zmqPort: zmqB })
  children.push(restarted.child)
  const detail = await restarted.api.detail(id)
  expect(detail.status).toBe('succeeded')
})
