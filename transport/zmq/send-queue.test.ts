import { describe, expect, it } from 'vitest'
import { createSendQueue, type Frames, MAX_BATCH_FRAMES } from './send-queue.ts'

/** A socket whose every send stays in flight until `release` (as a zeromq send awaits room). */
function slowSocket(): { sent: Frames[]; release: () => void; send(frames: Frames): Promise<void> } {
  const waiting: (() => void)[] = []
  const sent: Frames[] = []
  return {
    sent,
    release: () => {
      for (const resolve of waiting.splice(0)) resolve()
    },
    send(frames) {
      sent.push(frames)
      return new Promise<void>((resolve) => waiting.push(resolve))
    },
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('send queue', () => {
  it('sends one message at a time, in order, each on its own without `batch`', async () => {
    const socket = slowSocket()
    const queue = createSendQueue(socket, () => {})
    for (const frame of ['a', 'b', 'c']) queue.push(frame)
    for (let i = 0; i < 3; i++) {
      await settle()
      socket.release()
    }
    await queue.drained(1_000)
    expect(socket.sent).toEqual(['a', 'b', 'c'])
  })

  it('with `batch`, joins the frames queued behind a send in flight into one multipart message', async () => {
    const socket = slowSocket()
    const queue = createSendQueue(socket, () => {}, { batch: true })
    queue.push('first')
    const burst = MAX_BATCH_FRAMES + 10
    for (let i = 0; i < burst; i++) queue.push(`m${i}`)
    const multipart = [Buffer.from('x'), Buffer.from('y')]
    queue.push(multipart)
    queue.push('last')
    for (let i = 0; i < 5; i++) {
      await settle()
      socket.release()
    }
    await queue.drained(1_000)
    const names = Array.from({ length: burst }, (_, i) => `m${i}`)
    expect(socket.sent).toEqual([
      'first',
      names.slice(0, MAX_BATCH_FRAMES),
      names.slice(MAX_BATCH_FRAMES),
      multipart, // a multipart message of its own is never merged into a batch
      'last',
    ])
  })

  it('keeps a batch under 1 MiB: a large frame goes in the next one', async () => {
    const socket = slowSocket()
    const queue = createSendQueue(socket, () => {}, { batch: true })
    queue.push('first')
    const big = 'z'.repeat(700 * 1024)
    queue.push(big)
    queue.push(big)
    for (let i = 0; i < 4; i++) {
      await settle()
      socket.release()
    }
    await queue.drained(1_000)
    expect(socket.sent).toEqual(['first', big, big])
  })
})
