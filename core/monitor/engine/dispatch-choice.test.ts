import { describe, expect, test } from 'vitest'
import {
  type Cid,
  type Heartbeat,
  makeOrderId,
  type PipelineId,
  PROTOCOL_VERSION,
} from '../../domain/index.ts'
import { LeaseTable } from '../lease-table.ts'
import { WorkerRegistry } from '../worker-registry.ts'
import { chooseWorker, OutputProducers } from './dispatch-choice.ts'
import { Tick } from './tick.ts'

const INPUT = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku' as Cid
const beat = (workerId: string, slots: number, v = PROTOCOL_VERSION): Heartbeat => ({
  type: 'Heartbeat',
  v,
  workerId,
  host: 'h',
  pid: 1,
  lanes: ['default'],
  slots,
  inFlight: [],
  endpoint: `tcp://127.0.0.1:${workerId === 'A' ? 4001 : 4002}`,
})

function setUp(locality: boolean) {
  const workers = new WorkerRegistry(3_000)
  workers.beat(beat('A', 2), 0, '2026-01-01T00:00:00.000Z')
  workers.beat(beat('B', 2), 0, '2026-01-01T00:00:00.000Z')
  const producers = new OutputProducers()
  producers.remember(INPUT, 'B')
  return { workers, leases: new LeaseTable(5_000), producers, locality }
}

describe('choosing a unit’s worker', () => {
  test('locality: the producer of the input while it has a free slot, then the rest spill to the other', () => {
    const deps = setUp(true)
    const tick = new Tick()
    const picks: string[] = []
    for (let i = 0; i < 5; i++) {
      const choice = chooseWorker(deps, tick, 'default', INPUT)
      if (!choice) break
      picks.push(`${choice.worker}:${choice.reason}`)
      Tick.bump(tick.dispatchedTo, choice.worker)
    }
    expect(picks).toEqual(['B:locality', 'B:locality', 'A:free', 'A:free'])
  })

  test('without locality the worker with most free slots; none when every slot is taken', () => {
    const deps = setUp(false)
    const tick = new Tick()
    const unit = { pipelineId: 'p' as PipelineId, step: 0, shard: 0, attempt: 1 }
    deps.leases.grant({ ...unit, orderId: makeOrderId(unit), lane: 'default', worker: 'A' }, 0)
    expect(chooseWorker(deps, tick, 'default', INPUT)).toEqual({ worker: 'B', reason: 'free' })
    Tick.bump(tick.dispatchedTo, 'B')
    Tick.bump(tick.dispatchedTo, 'B')
    expect(chooseWorker(deps, tick, 'default', INPUT)).toEqual({ worker: 'A', reason: 'free' })
    Tick.bump(tick.dispatchedTo, 'A')
    expect(chooseWorker(deps, tick, 'default', INPUT)).toBeNull()
    expect(chooseWorker(deps, tick, 'gpu', null)).toBeNull()
  })

  test('a worker of another protocol version is refused with the reason, listed so, and gets nothing', () => {
    const workers = new WorkerRegistry(3_000)
    const outcome = workers.beat(beat('old', 4, 1), 0, '2026-01-01T00:00:00.000Z')
    expect(outcome).toMatchObject({ kind: 'refused', isNew: true })
    expect(outcome.kind === 'refused' && outcome.reason).toMatch(/protocol v1; this monitor speaks v2/)
    expect(workers.serving('default')).toEqual([])
    expect(workers.list()[0]).toMatchObject({ id: 'old', slots: 0, refused: expect.stringMatching(/v1/) })
  })
})
