import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:http'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  CacheInfo,
  LogPage,
  PipelineDetail,
  StoredEvent,
  SummaryPage,
  TaskList,
  WorkerList,
} from '../../core/domain/index.ts'
import { type Child, PROJECT_ROOT, spawnBuilt } from '../support/child-process.ts'
import { freePorts, tempDataDir } from '../support/banzai-processes.ts'
import { expectOnlyProgress } from '../support/progress-lines.ts'

// The command line end to end, as built into dist/ (`npm test` builds first): `banzai up`, then
// client commands against it, and `banzai demo`.
let up: Child
let url: string
let data: string

function banzai(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnBuilt(args, env)
  return child.exited.then((code) => ({ code, out: child.lines.join('\n'), err: child.stderr() }))
}

beforeAll(async () => {
  data = tempDataDir('banzai-cli-')
  const [port, zmqPort] = [await freePorts(1), await freePorts(4)]
  up = spawnBuilt([
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

describe('banzai cache clear, gc', () => {
  test('forget memoized results, collect garbage', async () => {
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
  })
})

describe('--json, exit codes, logs', () => {
  test('every record-printing command prints its SPEC §7 document with --json', async () => {
    const doc = join(data, 'json.json')
    writeFileSync(doc, JSON.stringify([{ call: 'MAKE_DATASET', args: [2] }, { call: 'NOOP' }]))
    const run = await banzai(['run', doc, '--json', '--monitor', url])
    expect(run.code, run.err).toBe(0)
    const submitted = PipelineDetail.parse(JSON.parse(run.out))
    const followed = await banzai(['run', doc, '--follow', '--json', '--monitor', url])
    expect(followed.code, followed.err).toBe(0)
    const details = followed.out.split('\n').map((l) => PipelineDetail.parse(JSON.parse(l)))
    expect(details.at(-1)!.status).toBe('succeeded')
    const id = details.at(-1)!.id
    const list = SummaryPage.parse(JSON.parse((await banzai(['status', '--json', '--monitor', url])).out))
    expect(list.items.map((p) => p.id)).toEqual(expect.arrayContaining([submitted.id, id]))
    const one = PipelineDetail.parse(
      JSON.parse((await banzai(['status', id, '--json', '--monitor', url])).out),
    )
    expect(one.tasks.map((t) => t.call)).toEqual(['MAKE_DATASET', 'NOOP'])
    const workers = WorkerList.parse(JSON.parse((await banzai(['workers', '--json', '--monitor', url])).out))
    expect(workers.workers).toHaveLength(1)
    const tasks = TaskList.parse(JSON.parse((await banzai(['tasks', '--json', '--monitor', url])).out))
    expect(tasks.tasks.map((t) => t.name)).toEqual(expect.arrayContaining(['FETCH_FESTVOX', 'LEARN']))
    const logs = LogPage.parse(JSON.parse((await banzai(['logs', id, '0', '--json', '--monitor', url])).out))
    expect(logs.next).toBeNull()
    const cache = CacheInfo.parse(
      JSON.parse((await banzai(['cache', 'explain', id, '0', '--json', '--monitor', url])).out),
    )
    expect(cache.status).toBe('hit')
    const events = await banzai(['events', id, '--follow', '--monitor', url])
    const types = events.out.split('\n').map((l) => StoredEvent.parse(JSON.parse(l)).type)
    expect(types.at(-1)).toBe('PipelineSucceeded')
  })

  test('unknown ids exit 4; a server that is not a Banzai monitor exits 3; validate works offline', async () => {
    for (const args of [
      ['status', 'p-nope'],
      ['logs', 'p-nope', '0'],
      ['cache', 'explain', 'p-nope', '0'],
    ]) {
      const result = await banzai([...args, '--monitor', url])
      expect(result.code, `${args.join(' ')}: ${result.err}`).toBe(4)
      expect(result.err.trim().split('\n')).toHaveLength(1)
    }
    const other = createServer((req, res) => {
      if (req.url === '/api/pipelines?limit=50')
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>')
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}')
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const otherUrl = `http://127.0.0.1:${(other.address() as { port: number }).port}`
    const html = await banzai(['status', '--monitor', otherUrl])
    const wrongShape = await banzai(['workers', '--monitor', otherUrl])
    other.close()
    expect(html.code).toBe(3)
    expect(html.err).toMatch(/not a Banzai monitor/)
    expect(wrongShape.code).toBe(3)
    expect(wrongShape.err).toMatch(/not a Banzai monitor/)
    const valid = await banzai(['validate', 'examples/three-speakers.json'])
    expect(valid.code, valid.err).toBe(0)
    const invalid = join(data, 'invalid-offline.json')
    writeFileSync(invalid, JSON.stringify([{ call: 'FILTER_LONGER', args: ['5s'] }]))
    const rejected = await banzai(['validate', invalid])
    expect(rejected.code).toBe(2)
    expect(rejected.err).toContain('tasks[0].args[0]')
    // Each error once: the message is not repeated as a field error.
    expect(rejected.err.match(/tasks\[0\]\.args\[0\]/g)).toHaveLength(1)
    const port = await banzai(['up', '--port', 'abc'])
    expect(port.code).toBe(2)
    expect(port.err).toContain('--port must be a whole number from 0 to 65535, got "abc"')
  })

  test("a failed step's --follow line shows the last lines of its log", async () => {
    const zips = join(PROJECT_ROOT, 'fixtures', 'arctic')
    const doc = join(data, 'half-fetch.json')
    writeFileSync(
      doc,
      JSON.stringify([
        {
          call: 'FETCH_FESTVOX',
          args: [
            pathToFileURL(join(zips, 'cmu_us_sus_arctic-0.90-release.zip')).href,
            pathToFileURL(join(zips, 'cmu_us_nobody_arctic-0.90-release.zip')).href,
          ],
        },
      ]),
    )
    const failed = await banzai(['run', doc, '--follow', '--monitor', url])
    expect(failed.code, failed.err).toBe(1)
    expect(failed.out).toMatch(
      /last log lines of step 0 FETCH_FESTVOX:\n( {4}.*\n)* {4}info .*sus_arctic.*: 20 items/,
    )
    expectOnlyProgress(failed.out)
    const id = /submitted (\S+)/.exec(failed.out)![1]!
    const logs = await banzai(['logs', id, '--monitor', url])
    expect(logs.out).toMatch(/ 0 FETCH_FESTVOX info .*20 items/)
  })
})
