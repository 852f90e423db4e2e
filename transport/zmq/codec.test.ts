import { describe, expect, it } from 'vitest'
import {
  makeOrderId,
  type PipelineId,
  PROTOCOL_VERSION,
  type TaskOrder,
  type WorkerMessage,
} from '../../core/domain/index.ts'
import { decodeControl, decodeOrder, decodeWorkerMessage, encodeMessage, MAX_FRAME_BYTES } from './index.ts'

const orderId = makeOrderId({ pipelineId: 'p' as PipelineId, step: 1, shard: 2, attempt: 3 })

describe('codec', () => {
  it('round-trips every kind of message', () => {
    const order: TaskOrder = {
      type: 'TaskOrder',
      v: PROTOCOL_VERSION,
      orderId,
      pipelineId: 'p' as PipelineId,
      step: 1,
      shard: 2,
      attempt: 3,
      call: 'NOOP',
      version: 1,
      args: [],
      input: null,
      deadline: '2030-01-01T00:00:00.000Z',
    }
    expect(decodeOrder(encodeMessage(order))).toEqual({ ok: true, message: order })
    const report: WorkerMessage = {
      type: 'OrderFailed',
      v: PROTOCOL_VERSION,
      orderId,
      workerId: 'w',
      error: 'x',
      retryable: true,
    }
    expect(decodeWorkerMessage(encodeMessage(report))).toEqual({ ok: true, message: report })
    expect(decodeControl(encodeMessage({ type: 'Ack', orderIds: [orderId] }))).toMatchObject({ ok: true })
  })

  it('rejects each kind of bad frame with its kind, never throwing', () => {
    const cases: [Uint8Array | string, string][] = [
      [Buffer.from([0xff, 0xfe, 0x00]), 'not-utf8'],
      ['{"type":', 'not-json'],
      ['[1,2]', 'not-object'],
      ['null', 'not-object'],
      ['{"type":"Bogus","v":1}', 'unknown-type'],
      ['{"type":"__proto__","v":1}', 'unknown-type'],
      [
        `{"type":"OrderReceived","v":${PROTOCOL_VERSION + 1},"orderId":"${orderId}","workerId":"w"}`,
        'wrong-version',
      ],
      [`{"type":"OrderReceived","v":${PROTOCOL_VERSION},"orderId":"bad id","workerId":"w"}`, 'invalid'],
      [Buffer.alloc(MAX_FRAME_BYTES + 1, 0x20), 'too-large'],
    ]
    for (const [frame, kind] of cases) expect(decodeWorkerMessage(frame)).toMatchObject({ ok: false, kind })
    // A worker message is not an order, and an order not a control message.
    expect(decodeOrder(`{"type":"Heartbeat","v":1}`)).toMatchObject({ ok: false, kind: 'unknown-type' })
    expect(decodeControl(`{"type":"TaskOrder","v":1}`)).toMatchObject({ ok: false, kind: 'unknown-type' })
  })
})
