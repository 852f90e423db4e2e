import type { Socket } from 'zeromq'
import type { Decoded, Rejection } from './codec.ts'
import { MAX_BATCH_FRAMES } from './send-queue.ts'

/** A socket that receives multipart messages. */
type Receiving = Socket & { receive(): Promise<Buffer[]> }

/**
 * Decodes a message's frames, each one whole message (a batch from a send queue); all or nothing:
 * a batch with a bad frame, or longer than MAX_BATCH_FRAMES, is one `multipart` drop.
 */
function decodeBatch<T>(frames: Buffer[], decode: (frame: Buffer) => Decoded<T>): T[] | Rejection {
  if (frames.length === 0 || frames.length > MAX_BATCH_FRAMES)
    return { ok: false, kind: 'multipart', detail: `${frames.length} frames` }
  const messages: T[] = []
  for (const [i, frame] of frames.entries()) {
    const decoded = decode(frame)
    if (!decoded.ok)
      return frames.length === 1
        ? decoded
        : { ok: false, kind: 'multipart', detail: `frame ${i + 1} of ${frames.length}: ${decoded.kind}` }
    messages.push(decoded.message)
  }
  return messages
}

/**
 * Receives until the socket closes: decodes each message (one frame, or a batch of frames that are
 * one message each) and hands its messages on in order, counts a bad one as a drop; an error from
 * the socket itself is reported and the loop goes on. Never rejects.
 */
export async function runReceiveLoop<T>(
  socket: Receiving,
  decode: (frame: Buffer) => Decoded<T>,
  hand: (message: T) => void,
  onDrop: (rejection: Rejection) => void,
  onError: (error: unknown) => void,
): Promise<void> {
  while (!socket.closed) {
    let frames: Buffer[]
    try {
      frames = await socket.receive()
    } catch (error) {
      if (socket.closed) return
      onError(error)
      // Yield before trying again, so a socket that keeps failing cannot starve the event loop.
      await new Promise((resolve) => setImmediate(resolve))
      continue
    }
    const messages = decodeBatch(frames, decode)
    if (!Array.isArray(messages)) {
      onDrop(messages)
      continue
    }
    for (const message of messages) {
      try {
        hand(message)
      } catch (error) {
        onError(error)
      }
    }
  }
}
