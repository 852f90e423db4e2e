import type { Socket } from 'zeromq'
import type { Decoded, Rejection } from './codec.ts'

/** A socket that receives multipart messages. */
type Receiving = Socket & { receive(): Promise<Buffer[]> }

/**
 * Receives until the socket closes: decodes each one-frame message and hands it on, counts the
 * rest as drops; an error from the socket itself is reported and the loop goes on. Never rejects.
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
    const [frame] = frames
    if (frames.length !== 1 || !frame) {
      onDrop({ ok: false, kind: 'multipart', detail: `${frames.length} frames` })
      continue
    }
    const decoded = decode(frame)
    if (decoded.ok) {
      try {
        hand(decoded.message)
      } catch (error) {
        onError(error)
      }
    } else onDrop(decoded)
  }
}
