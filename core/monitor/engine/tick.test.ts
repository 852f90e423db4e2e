import { describe, expect, test } from 'vitest'
import type { OrderId, PipelineId, StoredEvent } from '../../domain/index.ts'
import { Tick } from './tick.ts'

const started = {
  type: 'UnitStarted',
  seq: 7,
  pipelineId: 'p1' as PipelineId,
  pipelineSeq: 4,
  at: '2026-01-01T00:00:00.000Z',
  data: { step: 0, shard: 0, attempt: 1, orderId: 'p1.0.0.1' as OrderId, worker: 'w1' },
} as StoredEvent

describe('a tick that can wait for the next batch (one fsync per quick step)', () => {
  test('given only a UnitStarted, the tick can stay open; given nothing, there is nothing to wait with', () => {
    const tick = new Tick()
    expect(tick.canWait()).toBe(false)
    tick.events.push(started)
    expect(tick.canWait()).toBe(true)
  })

  test('given a send, an ack, an ended pipeline or freed credit, the tick commits now', () => {
    const make = (): Tick => {
      const t = new Tick()
      t.events.push(started)
      return t
    }
    const send = make()
    send.afterCommit.push(() => undefined)
    const ack = make()
    ack.acks.add('p1.0.0.1' as OrderId)
    const ended = make()
    ended.finished.add('p1' as PipelineId)
    const freed = make()
    Tick.bump(freed.releasedOn, 'default')
    for (const t of [send, ack, ended, freed]) expect(t.canWait()).toBe(false)
  })
})
