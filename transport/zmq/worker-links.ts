import { type Context, Push } from 'zeromq'
import { createSendQueue, type Frames, type SendQueue } from './send-queue.ts'
import { LINK_KEEPALIVE, type MonitorCurve } from './socket-options.ts'

interface Link {
  endpoint: string
  socket: Push
  queue: SendQueue
}

/** What the monitor's links to workers need. */
export interface WorkerLinksOptions {
  context: Context
  curve: MonitorCurve | undefined
  log: (msg: string) => void
  onSendError: (where: string) => (error: unknown) => void
}

/**
 * The monitor's PUSH sockets, one per admitted worker, connected to the PULL each worker binds
 * (SPEC §6, addressed dispatch). A link whose connection drops (the socket monitor's
 * `disconnect`: the worker died, or closed) is closed and reported as gone.
 */
export class WorkerLinks {
  private readonly links = new Map<string, Link>()
  private readonly goneHandlers: ((workerId: string) => void)[] = []

  constructor(private readonly options: WorkerLinksOptions) {}

  /** Connects to a worker (again, if its endpoint changed); under CURVE its PULL is the server. */
  admit(workerId: string, endpoint: string, curveKey: string | undefined): void {
    const current = this.links.get(workerId)
    if (current?.endpoint === endpoint) return
    if (current) this.drop(workerId)
    const { context, curve } = this.options
    if (curve && !curveKey) {
      this.options.log(`worker ${workerId} gave no CURVE key; not connected`)
      return
    }
    const security =
      curve && curveKey
        ? { curveServerKey: curveKey, curveSecretKey: curve.secretKey, curvePublicKey: curve.publicKey }
        : {}
    // `immediate`: nothing is queued to a link that is not up, so an order never waits on a dead one.
    const socket = new Push({ context, linger: 0, immediate: true, ...LINK_KEEPALIVE, ...security })
    const queue = createSendQueue(socket, this.options.onSendError(`worker ${workerId}`), { batch: true })
    const link: Link = { endpoint, socket, queue }
    this.links.set(workerId, link)
    socket.events.on('disconnect', () => {
      if (this.links.get(workerId) !== link) return
      this.drop(workerId)
      for (const handler of this.goneHandlers) handler(workerId)
    })
    socket.events.on('handshake:error:auth', ({ error }) =>
      this.options.log(`worker ${workerId} refused the monitor's key (${error.message})`),
    )
    socket.connect(endpoint)
  }

  /** Queues frames for a worker; false when it has no link. */
  send(workerId: string, frames: Frames): boolean {
    const link = this.links.get(workerId)
    if (!link) return false
    link.queue.push(frames)
    return true
  }

  /** Closes a worker's link. */
  drop(workerId: string): void {
    const link = this.links.get(workerId)
    if (!link) return
    this.links.delete(workerId)
    link.queue.close()
    link.socket.close()
  }

  /** Registers the handler of a link that dropped. */
  onGone(handler: (workerId: string) => void): void {
    this.goneHandlers.push(handler)
  }

  /** Closes every link. */
  closeAll(): void {
    for (const id of [...this.links.keys()]) this.drop(id)
  }
}
