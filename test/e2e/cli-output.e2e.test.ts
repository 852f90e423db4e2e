import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DatasetManifest, PipelineDetail } from '../../core/domain/index.ts'
import { curvePublicKey } from '../../bin/wiring/curve.ts'
import { freePorts, tempDataDir } from '../support/banzai-processes.ts'
import { type Child, PROJECT_ROOT, spawnBuilt } from '../support/child-process.ts'

// What the built command line writes: `get` folders read back by NumPy, keygen lines run by a
// real bash, a closed pipe, and Ctrl-C while following.
let up: Child
let url: string
let data: string
const CLI = join(PROJECT_ROOT, 'dist', 'bin', 'cli.js')

function banzai(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnBuilt(args)
  return child.exited.then((code) => ({ code, out: child.lines.join('\n'), err: child.stderr() }))
}

function bash(script: string): { code: number | null; out: string; err: string } {
  const result = spawnSync('bash', ['-c', script], { cwd: PROJECT_ROOT, encoding: 'utf8' })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

beforeAll(async () => {
  data = tempDataDir('banzai-cli-out-')
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
  ])
  const line = await up.waitForLine((l) => l.startsWith('banzai is up: '), 'banzai up', 60_000)
  url = line.slice('banzai is up: '.length).split(' ')[0]!
}, 90_000)
afterAll(async () => {
  up.kill('SIGTERM')
  await up.exited
  rmSync(data, { recursive: true, force: true })
})

describe('banzai keygen', () => {
  test('prints single-quoted lines a real bash evaluates, or --json', () => {
    const evaluated = bash(
      `eval "$(node ${CLI} keygen)" && printf '%s\\n%s\\n' "$BANZAI_CURVE_SECRET" "$BANZAI_CURVE_PUBLIC"`,
    )
    expect(evaluated.code, evaluated.err).toBe(0)
    const [secret, publicKey] = evaluated.out.trim().split('\n')
    expect(secret).toHaveLength(40)
    expect(curvePublicKey(secret!)).toBe(publicKey)
    // Pasted after `export`, each line sets exactly its variable and runs nothing else.
    const pasted = bash(
      `cd "$(mktemp -d)" && node ${CLI} keygen | grep -v '^#' | while read -r line; do eval "export $line"; done; ls | wc -l`,
    )
    expect(pasted.err).toBe('')
    expect(pasted.out.trim()).toBe('0')
    const json = bash(`node ${CLI} keygen --json`)
    const pair: unknown = JSON.parse(json.out)
    expect(pair).toEqual({ secretKey: expect.any(String), publicKey: expect.any(String) })
  })
})

describe('banzai get', () => {
  test('a dataset becomes a folder of WAVs, .npy files NumPy reads, and the manifest', async () => {
    const zip = pathToFileURL(
      join(PROJECT_ROOT, 'fixtures', 'arctic', 'cmu_us_sus_arctic-0.90-release.zip'),
    ).href
    const doc = join(data, 'mfcc.json')
    writeFileSync(
      doc,
      JSON.stringify([
        { call: 'FETCH_FESTVOX', args: [zip] },
        { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
      ]),
    )
    const run = await banzai(['run', doc, '--follow', '--monitor', url])
    expect(run.code, run.out + run.err).toBe(0)
    const id = /submitted (\S+)/.exec(run.out)![1]!
    const detail = PipelineDetail.parse(
      JSON.parse((await banzai(['status', id, '--json', '--monitor', url])).out),
    )
    const folder = join(data, 'got')
    const got = await banzai(['get', detail.tasks[1]!.output!, '-o', folder, '--monitor', url])
    expect(got.code, got.err).toBe(0)
    const manifest = DatasetManifest.parse(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')))
    expect(manifest.items).toHaveLength(20)
    const script = [
      'import sys, json, numpy as np',
      'print(json.dumps([[str(a.dtype), list(a.shape)] for a in (np.load(p) for p in sys.argv[1:])]))',
    ].join('\n')
    const npys = manifest.items.map((i) => join(folder, 'mfcc', i.speaker, `${i.utterance}.npy`))
    const shapes = JSON.parse(execFileSync('python3', ['-c', script, ...npys], { encoding: 'utf8' })) as [
      string,
      number[],
    ][]
    shapes.forEach(([dtype, shape], n) => {
      expect(dtype).toBe('float32')
      expect(shape).toEqual([manifest.items[n]!.frames, 24])
    })
    for (const item of manifest.items) {
      const wav = readFileSync(join(folder, 'wav', item.speaker, `${item.utterance}.wav`))
      expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF')
    }
  })
})

describe('pipes and signals', () => {
  test('a closed pipe ends quietly; Ctrl-C while following says the pipeline goes on and how to follow it', async () => {
    const doc = join(data, 'slow.json')
    writeFileSync(
      doc,
      // cache: false, so that the second run sleeps too instead of being served from the memo.
      JSON.stringify({
        tasks: [
          { call: 'SLEEP', args: [1500] },
          { call: 'SLEEP', args: [1500] },
        ],
        cache: false,
      }),
    )
    const submitted = PipelineDetail.parse(
      JSON.parse((await banzai(['run', doc, '--json', '--monitor', url])).out),
    )
    // `head` closes the pipe after one line; the later events meet a closed pipe.
    const piped = bash(
      `set -o pipefail; node ${CLI} events ${submitted.id} --follow --monitor ${url} | head -1 >/dev/null`,
    )
    expect(piped.err).toBe('')
    expect(piped.code).toBe(0)
    const follower = spawnBuilt(['run', doc, '--follow', '--monitor', url])
    await follower.waitForLine((l) => /SLEEP +running/.test(l), 'the follower to show progress')
    follower.kill('SIGINT')
    expect(await follower.exited).toBe(130)
    const id = /submitted (\S+)/.exec(follower.lines.join('\n'))![1]!
    expect(follower.stderr()).toContain(`pipeline ${id} goes on`)
    expect(follower.stderr()).toContain(`banzai cancel ${id}`)
    expect(follower.stderr()).not.toMatch(/at .*\.js:\d+/)
  })
})

describe('logs', () => {
  test('`up` logs on stderr (JSON lines off a terminal), with no request lines at info', async () => {
    expect((await banzai(['status', '--monitor', url])).code).toBe(0)
    const records = up
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{') && l.endsWith('}'))
      .map((l) => JSON.parse(l) as { msg?: unknown })
    expect(records.length).toBeGreaterThan(0)
    expect(records.map((r) => r.msg)).not.toContain('request')
    expect(up.lines.filter((l) => l.startsWith('{'))).toEqual([])
  })
})
