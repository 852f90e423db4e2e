import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Child, spawnTs } from '../support/child-process.ts'
import { freePorts, tempDataDir } from '../support/banzai-processes.ts'

// The command line end to end: `banzai up`, then client commands against it, and `banzai demo`.
let up: Child
let url: string
let data: string

function banzai(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnTs('bin/banzai.js', args, env)
  return child.exited.then((code) => ({ code, out: child.lines.join('\n'), err: child.stderr() }))
}

beforeAll(async () => {
  data = tempDataDir('banzai-cli-')
  const [port, zmqPort] = [await freePorts(1), await freePorts(4)]
  up = spawnTs('bin/banzai.js', [
    'up',
    '--data',
    data,
    '--port',
    String(port),
    '--zmq-port',
    String(zmqPort),
    '--workers',
    '1',
    '--lease-ms',
    '2000',
    '--log-level',
    'warn',
  ])
  const line = await up.waitForLine((l) => l.startsWith('banzai is up: '), 'banzai up', 60_000)
  url = line.slice('banzai is up: '.length).split(' ')[0]!
}, 90_000)
afterAll(async () => {
  up.kill('SIGTERM')
  await up.exited
  rmSync(data, { recursive: true, force: true })
})

describe('banzai run, status, events', () => {
  test('a succeeding pipeline exits 0, a failing one exits 1', async () => {
    const ok = join(data, 'ok.json')
    const bad = join(data, 'bad.json')
    writeFileSync(ok, JSON.stringify([{ call: 'SLEEP', args: [50] }, { call: 'NOOP' }]))
    writeFileSync(bad, JSON.stringify({ name: 'doomed', tasks: [{ call: 'FAIL', args: ['on purpose'] }] }))
    const succeeded = await banzai(['run', ok, '--follow', '--monitor', url])
    expect(succeeded.code, succeeded.out).toBe(0)
    expect(succeeded.out).toMatch(/succeeded/)
    const failed = await banzai(['run', bad, '--follow', '--monitor', url])
    expect(failed.code, failed.out).toBe(1)
    expect(failed.out).toMatch(/on purpose/)
    const id = /submitted (\S+)/.exec(failed.out)![1]!
    const status = await banzai(['status', id, '--monitor', url])
    expect(status.code).toBe(0)
    expect(status.out).toMatch(/FAIL\s+failed/)
    const events = await banzai(['events', id, '--monitor', url])
    expect(events.out.split('\n').map((l) => (JSON.parse(l) as { type: string }).type)).toContain(
      'PipelineFailed',
    )
  })

  test('a bad document exits 2 with the field named; an unreachable monitor exits 3; a bad flag exits 2', async () => {
    const doc = join(data, 'invalid.json')
    writeFileSync(doc, JSON.stringify([{ call: 'EXTRACT_MFCC', args: ['32', 24, 1, 8000, 16000] }]))
    const invalid = await banzai(['run', doc, '--monitor', url])
    expect(invalid.code).toBe(2)
    expect(invalid.err).toContain('tasks[0].args[0] (nfilt) must be an integer between 1 and 128, got "32"')
    const unreachable = await banzai(['status', '--monitor', 'http://127.0.0.1:9'])
    expect(unreachable.code).toBe(3)
    expect(unreachable.err).toMatch(/unreachable/)
    const badFlag = await banzai(['status', '--monitor', 'not a url'])
    expect(badFlag.code).toBe(2)
    expect(badFlag.err).toMatch(/--monitor/)
    const unknown = await banzai(['frobnicate'])
    expect(unknown.code).toBe(2)
  })

  test('a monitor whose port is taken exits 2 at once, saying which port (it does not hang)', async () => {
    const { createServer } = await import('node:net')
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const taken = (holder.address() as { port: number }).port
    const zmqPort = await freePorts(4)
    const result = await banzai([
      'monitor',
      '--port',
      String(taken),
      '--zmq-port',
      String(zmqPort),
      '--data',
      join(data, 'taken'),
      '--log-level',
      'silent',
    ])
    holder.close()
    expect(result.code).toBe(2)
    expect(result.err).toContain(`127.0.0.1:${taken}`)
    expect(result.err).toMatch(/--port/)
  })
})

describe('banzai cache clear, gc, keygen', () => {
  test('forget memoized results, collect garbage, print a key pair', async () => {
    const ok = join(data, 'memo.json')
    writeFileSync(ok, JSON.stringify([{ call: 'MAKE_DATASET', args: [3] }, { call: 'NOOP' }]))
    expect((await banzai(['run', ok, '--follow', '--monitor', url])).code).toBe(0)
    const cleared = await banzai(['cache', 'clear', '--task', 'MAKE_DATASET', '--data', data])
    expect(cleared.code, cleared.err).toBe(0)
    expect(cleared.out).toMatch(/forgot [1-9]\d* step result\(s\) and 0 item result\(s\) of MAKE_DATASET/)
    const again = await banzai(['run', ok, '--follow', '--monitor', url])
    expect(again.code).toBe(0)
    const id = /submitted (\S+)/.exec(again.out)![1]!
    expect((await banzai(['status', id, '--monitor', url])).out).not.toMatch(/MAKE_DATASET.*cached/)
    const gc = await banzai(['gc', '--data', data])
    expect(gc.code, gc.err).toBe(0)
    expect(gc.out).toMatch(/removed \d+ blob\(s\) \(\d+ bytes\); kept \d+/)
    const keys = await banzai(['keygen'])
    expect(keys.out).toMatch(/^BANZAI_CURVE_SECRET=.{40}\npublic key: .{40}$/)
  })
})

describe('banzai demo', () => {
  test('completes on a fresh data folder and prints the LEARN result', async () => {
    const fresh = tempDataDir('banzai-demo-')
    const [port, zmqPort] = [await freePorts(1), await freePorts(4)]
    const demo = await banzai([
      'demo',
      '--data',
      fresh,
      '--port',
      String(port),
      '--zmq-port',
      String(zmqPort),
      '--workers',
      '2',
      '--log-level',
      'warn',
    ])
    rmSync(fresh, { recursive: true, force: true })
    expect(demo.code, demo.out).toBe(0)
    expect(demo.out).toMatch(/LEARN: classifier over .* held-out utterance accuracy \d+/)
  }, 240_000)
})
