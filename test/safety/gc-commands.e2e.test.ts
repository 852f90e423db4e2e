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

// `banzai delete` records PipelineDeleted through the API; `banzai gc` and `cache clear` go through
// the running monitor when it holds the data folder's lock, and take the lock when none runs.
const { children, cleanups } = useProcessScope()

async function banzai(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnTs('bin/banzai.js', args)
  children.push(child)
  const code = await child.exited
  return { code, out: child.lines.join('\n'), err: child.stderr() }
}

test('delete then gc through the running monitor frees the space; with no monitor, gc takes the lock', async () => {
  const data = tempDataDir('banzai-gc-cli-')
  cleanups.push(() => rmSync(data, { recursive: true, force: true }))
  const [port, zmq] = [await freePorts(1), await freePorts(3)]
  const monitor = await startMonitorProcess({ data, port, zmqPort: zmq })
  children.push(monitor.child)
  children.push(await startWorkerProcess(monitor, { data }))
  const id = await monitor.api.submit({ cache: false, tasks: [{ call: 'MAKE_DATASET', args: [30] }] })
  expect((await monitor.api.waitForEnd([id]))[0]!.status).toBe('succeeded')

  const kept = await banzai(['gc', '--data', data])
  expect(kept.code).toBe(0)
  expect(kept.out).toMatch(/^removed 0 blob\(s\)/)
  const deleted = await banzai(['delete', id, '--monitor', monitor.url])
  expect(deleted.code).toBe(0)
  expect(deleted.out).toContain(`deleted ${id}`)
  await expect(monitor.api.detail(id)).rejects.toThrow(/HTTP 404/)
  const freed = await banzai(['gc', '--data', data])
  expect(freed.code).toBe(0)
  expect(Number(/^removed (\d+) blob/.exec(freed.out)?.[1])).toBeGreaterThanOrEqual(31)
  const cleared = await banzai(['cache', 'clear', '--data', data])
  expect(cleared.code).toBe(0)

  monitor.child.kill('SIGTERM')
  await monitor.child.exited
  const offline = await banzai(['gc', '--data', data])
  expect(offline.code).toBe(0)
  expect(offline.out).toMatch(/^removed 0 blob\(s\)/)
  const offlineClear = await banzai(['cache', 'clear', '--data', data])
  expect(offlineClear.code).toBe(0)
  expect(offlineClear.out).toContain('forgot')
})
