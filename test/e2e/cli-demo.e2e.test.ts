import { rmSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { freePorts, tempDataDir } from '../support/banzai-processes.ts'
import { spawnBuilt } from '../support/child-process.ts'
import { expectOnlyProgress } from '../support/progress-lines.ts'

// `banzai demo` as built into dist/: twice in one folder, the second served from the cache.
function banzai(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnBuilt(args)
  return child.exited.then((code) => ({ code, out: child.lines.join('\n'), err: child.stderr() }))
}

describe('banzai demo', () => {
  test('completes on a fresh data folder, prints only progress and the LEARN result, and a rerun is cached', async () => {
    const fresh = tempDataDir('banzai-demo-')
    const [port, zmqPort] = [await freePorts(1), await freePorts(4)]
    const args = [
      'demo',
      '--data',
      fresh,
      '--port',
      String(port),
      '--zmq-port',
      String(zmqPort),
      '--workers',
      '2',
    ]
    const demo = await banzai(args)
    expect(demo.code, demo.out + demo.err).toBe(0)
    expect(demo.out).toMatch(/LEARN +succeeded .*classifier over .* held-out utterance accuracy \d+/)
    expectOnlyProgress(demo.out)
    // The fixtures are read through file: URLs (no port in them), so every later step hits the cache.
    const again = await banzai(args)
    rmSync(fresh, { recursive: true, force: true })
    expect(again.code, again.out + again.err).toBe(0)
    for (const call of ['FILTER_LONGER', 'EXTRACT_MFCC', 'LEARN'])
      expect(again.out).toMatch(new RegExp(`\\d ${call} +succeeded \\(cached\\)`))
    expectOnlyProgress(again.out)
  }, 300_000)
})
