import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { StoredEvent } from '../../core/domain/index.ts'
import type { Child } from '../support/child-process.ts'
import {
  freePorts,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../support/banzai-processes.ts'
import { serveArcticZips } from '../support/zip-server.ts'

// Real processes: `banzai monitor` and two `banzai worker`s over real TCP, running a graph.
const children: Child[] = []
const dirs: string[] = []
let zips: Awaited<ReturnType<typeof serveArcticZips>>
beforeAll(async () => {
  zips = await serveArcticZips()
})
afterAll(async () => {
  await zips.close()
})
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.kill('SIGKILL')
    await c.exited
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const MFCC_ARGS = [26, 13, 0, 8000, 16000]
const zip = (speaker: string) => `${zips.url}/cmu_us_${speaker}_arctic-0.90-release.zip`

/** Each unit's span in the log, by global seq: from UnitStarted to its UnitSucceeded. */
function unitSpans(events: StoredEvent[]): { step: number; worker: string; from: number; to: number }[] {
  const open = new Map<string, { step: number; worker: string; from: number }>()
  const spans: { step: number; worker: string; from: number; to: number }[] = []
  for (const e of events) {
    if (e.type === 'UnitStarted')
      open.set(`${e.data.step}.${e.data.shard}.${e.data.attempt}`, {
        step: e.data.step,
        worker: e.data.worker,
        from: e.seq,
      })
    if (e.type === 'UnitSucceeded') {
      const started = open.get(`${e.data.step}.${e.data.shard}.${e.data.attempt}`)
      if (started) spans.push({ ...started, to: e.seq })
    }
  }
  return spans
}

describe('a graph on real workers', () => {
  test('two FETCH → EXTRACT_MFCC branches run at once on 2 workers, then merge into one LEARN', async () => {
    const data = tempDataDir()
    dirs.push(data)
    const monitor = await startMonitorProcess({ data, port: await freePorts(1), zmqPort: await freePorts(5) })
    children.push(monitor.child)
    for (let i = 0; i < 2; i++) children.push(await startWorkerProcess(monitor, { data, slots: 1 }))
    const id = await monitor.api.submit({
      name: 'two speakers, one model',
      cache: false,
      tasks: [
        { id: 'fetch_sus', inputs: [], call: 'FETCH_FESTVOX', args: [zip('sus')] },
        { id: 'fetch_ssc', inputs: [], call: 'FETCH_FESTVOX', args: [zip('ssc')] },
        { id: 'mfcc_sus', inputs: ['fetch_sus'], call: 'EXTRACT_MFCC', args: MFCC_ARGS },
        { id: 'mfcc_ssc', inputs: ['fetch_ssc'], call: 'EXTRACT_MFCC', args: MFCC_ARGS },
        { id: 'learn', inputs: ['mfcc_sus', 'mfcc_ssc'], call: 'LEARN', args: [{ epochs: 2, seed: 1 }] },
      ],
    })
    const [detail] = await monitor.api.waitForEnd([id], 180_000)
    expect(detail?.status).toBe('succeeded')
    const events = await monitor.api.events(id)
    const spans = unitSpans(events)
    const branch = (steps: number[]) => spans.filter((s) => steps.includes(s.step))
    // Some unit of one branch was running while a unit of the other ran, on another worker.
    const overlapping = branch([0, 2]).some((a) =>
      branch([1, 3]).some((b) => a.from < b.to && b.from < a.to && a.worker !== b.worker),
    )
    expect(overlapping).toBe(true)
    // LEARN started once both branches had succeeded, with both of their outputs in order.
    const learn = events.find((e) => e.type === 'StepStarted' && e.data.step === 4)
    expect(learn?.type === 'StepStarted' ? learn.data.inputs : null).toEqual([
      detail?.tasks[2]?.output,
      detail?.tasks[3]?.output,
    ])
    expect(detail?.tasks[4]?.inputs).toEqual([2, 3])
    expect(detail?.output).toBe(detail?.tasks[4]?.output)
  }, 240_000)
})
