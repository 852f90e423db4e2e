import type { z } from 'zod'
import { ControlMessage, PROTOCOL_VERSION, TaskOrder, WorkerMessage } from '../../core/domain/index.ts'

/** Largest frame decoded, bytes; a bigger one is rejected unread (messages carry CIDs, never data). */
export const MAX_FRAME_BYTES = 1024 * 1024

/** Why a frame was rejected; the monitor counts drops by this kind. */
export type RejectionKind =
  | 'too-large'
  | 'not-utf8'
  | 'not-json'
  | 'not-object'
  | 'wrong-version'
  | 'unknown-type'
  | 'invalid'
  | 'multipart'

/** A frame that is not a valid message: its kind and a short reason. */
export interface Rejection {
  ok: false
  kind: RejectionKind
  detail: string
}

/** The outcome of decoding one frame. */
export type Decoded<T> = { ok: true; message: T } | Rejection

/** Encodes any protocol message as one UTF-8 JSON frame. */
export function encodeMessage(message: WorkerMessage | TaskOrder | ControlMessage): Buffer {
  return Buffer.from(encodeFrame(message), 'utf8')
}

/**
 * A protocol message as the JSON text of its frame (the same bytes as `encodeMessage`). Sockets are
 * handed this string: zeromq copies it once, whereas a Buffer over 128 bytes is sent zero-copy and
 * released later through a callback on the main thread, which costs more than the copy.
 */
export function encodeFrame(message: WorkerMessage | TaskOrder | ControlMessage): string {
  return JSON.stringify(message)
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function reject(kind: RejectionKind, detail: string): Rejection {
  return { ok: false, kind, detail: detail.slice(0, 200) }
}

function decodeWith<T>(
  frame: Uint8Array | string,
  schema: z.ZodType<T>,
  types: ReadonlySet<string>,
  versioned: boolean,
): Decoded<T> {
  if (frame.length > MAX_FRAME_BYTES)
    return reject('too-large', `frame of ${frame.length} bytes (limit ${MAX_FRAME_BYTES})`)
  let text: string
  try {
    text = typeof frame === 'string' ? frame : utf8.decode(frame)
  } catch {
    return reject('not-utf8', 'frame is not UTF-8 text')
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return reject('not-json', error instanceof Error ? error.message : 'not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return reject('not-object', 'message must be a JSON object')
  const fields = value as Record<string, unknown>
  if (typeof fields['type'] !== 'string' || !types.has(fields['type']))
    return reject('unknown-type', `type ${JSON.stringify(fields['type'])}`)
  if (versioned && fields['v'] !== PROTOCOL_VERSION)
    return reject('wrong-version', `v ${JSON.stringify(fields['v'])}, expected ${PROTOCOL_VERSION}`)
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return reject(
      'invalid',
      `${fields['type']}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    )
  }
  return { ok: true, message: parsed.data }
}

const WORKER_TYPES: ReadonlySet<string> = new Set([
  'OrderReceived',
  'OrderProgress',
  'OrderSucceeded',
  'OrderFailed',
  'OrderCancelled',
  'Heartbeat',
])
const ORDER_TYPES: ReadonlySet<string> = new Set(['TaskOrder'])
const CONTROL_TYPES: ReadonlySet<string> = new Set(['CancelOrder', 'Ack', 'Hello'])

/** Decodes a report or heartbeat from a worker; never throws. */
export function decodeWorkerMessage(frame: Uint8Array | string): Decoded<WorkerMessage> {
  return decodeWith(frame, WorkerMessage, WORKER_TYPES, true)
}

/** Decodes a task order from the monitor; never throws. */
export function decodeOrder(frame: Uint8Array | string): Decoded<TaskOrder> {
  return decodeWith(frame, TaskOrder, ORDER_TYPES, true)
}

/** Decodes a control message (CancelOrder, Ack, Hello); never throws. */
export function decodeControl(frame: Uint8Array | string): Decoded<ControlMessage> {
  return decodeWith(frame, ControlMessage, CONTROL_TYPES, false)
}

/** Counts rejected frames by kind, reporting the first of each kind once. */
export interface DropCounter {
  count(rejection: Rejection, where: string): void
  snapshot(): Record<string, number>
}

/** Creates a drop counter that logs the first drop of each kind through `log`. */
export function createDropCounter(log: (msg: string) => void): DropCounter {
  const counts: Record<string, number> = {}
  return {
    count(rejection, where) {
      const seen = counts[rejection.kind] ?? 0
      counts[rejection.kind] = seen + 1
      if (seen === 0)
        log(
          `dropped a malformed message on ${where} (${rejection.kind}: ${rejection.detail}); further drops of this kind are only counted`,
        )
    },
    snapshot: () => ({ ...counts }),
  }
}
