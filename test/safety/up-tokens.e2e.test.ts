import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { expect, test } from 'vitest'
import { waitForLocalWorkers } from '../../bin/wiring/local-workers.ts'
import { spawnTs } from '../support/child-process.ts'
import { useProcessScope } from '../support/process-scope.ts'
import { ApiHelper, freePorts, tempDataDir } from '../support/banzai-processes.ts'

// `up --token X --read-token Y`: its workers get the tokens, register, and run a pipeline; `up`
// counts only workers that registered, and names those that exited.
const { children, cleanups } = useProcessScope()

test('up passes --token and --read-token to its workers, which register and run a pipeline', async () => {
  const data = tempDataDir('banzai-up-tokens-')
  cleanups.push(() => rmSync(data, { recursive: true, force: true }))
  const [port, zmq] = [await freePorts(1), await freePorts(3)]
  const up = spawnTs('bin/banzai.js', [
    'up',
    '--token',
    'write-secret',
    '--read-token',
    'read-secret',
    '--workers',
    '1',
    '--data',
    data,
    '--port',
    String(port),
    '--zmq-port',
    String(zmq),
    '--log-level',
    'warn',
  ])
  children.push(up)
  const line = await up.waitForLine((l) => l.startsWith('banzai is up: '), '`up` to be ready', 90_000)
  expect(line).toContain('(1 of 1 workers running;')
  const api = new ApiHelper(`http://127.0.0.1:${port}`, 'write-secret')
  const id = await api.submit({ tasks: [{ call: 'NOOP' }], cache: false })
  expect((await api.waitForEnd([id]))[0]!.status).toBe('succeeded')
  // A graceful stop takes its workers down with it.
  up.kill('SIGTERM')
  expect(await up.exited).toBe(0)
})

test('workers that exit before registering are named, not counted as running', async () => {
  const node = process.execPath
  const failing = spawn(node, ['-e', 'process.exit(3)'], { stdio: 'ignore' })
  const running = spawn(node, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
  cleanups.push(() => {
    running.kill('SIGKILL')
  })
  const start = await waitForLocalWorkers([failing, running], () => [running.pid!], 20_000)
  expect(start).toEqual({ ready: 1, exited: [{ pid: failing.pid, code: 3 }], pending: 0 })
})
