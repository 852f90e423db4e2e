import { expect, test } from 'vitest'
import { createReplayGate } from './replay-gate.ts'

// The gate of SPEC §10: a cap on streams, at most `maxReaders` turns at once, first come first
// served, and a turn that ends only on a later turn of the event loop (so I/O runs in between).

test('admits up to maxStreams; a released slot is admitted again', () => {
  const gate = createReplayGate({ maxStreams: 2 })
  const a = gate.admit()
  const b = gate.admit()
  expect(a).not.toBeNull()
  expect(b).not.toBeNull()
  expect(gate.admit()).toBeNull()
  a!()
  a!()
  expect(gate.stats().open).toBe(1)
  expect(gate.admit()).not.toBeNull()
})

test('at most maxReaders turns at once, granted in arrival order', async () => {
  const gate = createReplayGate({ maxReaders: 2 })
  const order: number[] = []
  let inTurn = 0
  let most = 0
  await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      for (let page = 0; page < 3; page++) {
        const done = await gate.turn()
        inTurn++
        most = Math.max(most, inTurn)
        if (page === 0) order.push(i)
        await new Promise((resolve) => setTimeout(resolve, 1))
        inTurn--
        done()
      }
    }),
  )
  expect(most).toBe(2)
  expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i))
  await new Promise((resolve) => setImmediate(resolve))
  expect(gate.stats()).toEqual({ open: 0, reading: 0, waiting: 0 })
})

test('the next turn starts only after the event loop had a turn (setImmediate in between)', async () => {
  const gate = createReplayGate({ maxReaders: 1 })
  const events: string[] = []
  const first = await gate.turn()
  const second = gate.turn().then((done) => {
    events.push('second turn')
    done()
  })
  // Work already waiting for the event loop (I/O, a request) runs before the next reader.
  setImmediate(() => events.push('other work'))
  first()
  await second
  expect(events).toEqual(['other work', 'second turn'])
})
