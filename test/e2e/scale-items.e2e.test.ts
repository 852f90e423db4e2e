import { rmSync } from 'node:fs'
import { afterEach, describe, expect, test } from 'vitest'
import { DatasetManifest, MAX_MESSAGE_BYTES } from '../../core/domain/index.ts'
import type { Child } from '../support/child-process.ts'
import {
  freePorts,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../support/banzai-processes.ts'

// Real processes over real TCP: the case that failed at the whole ARCTIC's size (issue 13),
// where a report listing every item's CID went over the 1 MiB frame limit and was dropped.
const children: Child[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.kill('SIGKILL')
    await c.exited
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** Largest event data a step of any size may log, bytes: nothing logged grows with the items. */
const MAX_EVENT_BYTES = 16 * 1024

describe('20,000 items', () => {
  test('MAKE_DATASET(20000) → ECHO_ITEMS succeeds on 2 worker processes; no event carries the items', async () => {
    const data = tempDataDir()
    dirs.push(data)
    const [port, zmqPort] = [await freePorts(1), await freePorts(5)]
    const monitor = await startMonitorProcess({ data, port, zmqPort, leaseMs: 5_000, shardSize: 500 })
    children.push(monitor.child)
    for (let i = 0; i < 2; i++) children.push(await startWorkerProcess(monitor, { data }))

    const id = await monitor.api.submit({
      name: 'twenty-thousand',
      cache: false,
      tasks: [{ call: 'MAKE_DATASET', args: [20_000] }, { call: 'ECHO_ITEMS' }],
    })
    const [detail] = await monitor.api.waitForEnd([id], 180_000)
    expect(detail?.error ?? null).toBeNull()
    expect(detail?.status).toBe('succeeded')
    expect(detail?.tasks[1]?.shards.total).toBe(40)

    const events = await monitor.api.events(id)
    // No unit failed (a report too large to send would fail its unit), and no lease ran out: the
    // 20k-item output is checked against the store outside the tick, its lease held meanwhile.
    expect(events.filter((e) => e.type === 'UnitFailed')).toEqual([])
    expect(events.filter((e) => e.type === 'UnitLeaseExpired' || e.type === 'UnitWorkerLost')).toEqual([])
    for (const event of events) {
      expect(JSON.stringify(event).length, event.type).toBeLessThan(MAX_EVENT_BYTES)
      if ('refs' in event.data) expect(event.data.refs).toEqual([])
    }
    const started = events.find((e) => e.type === 'StepStarted' && e.data.step === 1)
    expect(started?.type === 'StepStarted' && started.data.shardLists).toBeTruthy()

    // The merged manifest holds every item, in order, each echoed by a worker.
    const output = detail?.tasks[1]?.output
    const response = await fetch(`${monitor.url}/api/blobs/${output ?? ''}`)
    const text = await response.text()
    const manifest = DatasetManifest.parse(JSON.parse(text))
    expect(manifest.items).toHaveLength(20_000)
    expect(manifest.items[19_999]?.id).toBe('synthetic/item-20000')
    expect(manifest.items.every((item) => typeof item.echo === 'string')).toBe(true)
    expect(text.length).toBeGreaterThan(MAX_MESSAGE_BYTES) // too big to have travelled as a message
  }, 240_000)
})
