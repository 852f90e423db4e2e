import { Context, Publisher, Pull, type Socket } from 'zeromq'
import { type MonitorTransport, ValidationError, type WorkerMessage } from '../../core/domain/index.ts'
import { createDropCounter, decodeWorkerMessage, encodeFrame } from './codec.ts'
import { isZ85Key } from './curve-keys.ts'
import type { TransportEndpoints } from '../../core/domain/index.ts'
import { createSendQueue } from './send-queue.ts'
import { INBOUND_LIMIT, LINK_KEEPALIVE, type MonitorCurve, serverSecurity } from './socket-options.ts'
import { WorkerLinks } from './worker-links.ts'
import { runReceiveLoop } from './receive-loop.ts'
import { startZapHandler, type ZapHandler } from './zap-handler.ts'

/** How long a bind keeps trying while its port is still held (a monitor restarted at once), ms. */
const BIND_RETRY_MS = 5_000

/** Binds, retrying while the address is in use: the port of a socket just closed is freed asynchronously. */
async function bindRetrying(socket: Socket, endpoint: string): Promise<void> {
  const deadline = Date.now() + BIND_RETRY_MS
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      await socket.bind(endpoint)
      return
    } catch (error) {
      const inUse = error instanceof Error && /address already in use/i.test(error.message)
      if (!inUse || Date.now() + delay > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
}

/** Settings of the monitor's sockets (SPEC §6). */
export interface ZmqMonitorOptions {
  /** Interface to bind, e.g. `tcp://127.0.0.1` (default) or `tcp://0.0.0.0`. */
  bind?: string
  /** First of the consecutive ports (default 5555); 0 binds each socket to an ephemeral port (tests). */
  port?: number
  /** Lanes the monitor serves (announced to workers; orders go to each worker's own PULL). */
  lanes: string[]
  /** Turns on CurveZMQ on every socket; `allow` restricts clients to those public keys (ZAP). */
  curve?: MonitorCurve
  log?: (msg: string) => void
}

/** The monitor's ZeroMQ transport, which also tells where it listens. */
export interface ZmqMonitorTransport extends MonitorTransport {
  endpoints(): TransportEndpoints
  /** Peers refused at the handshake (wrong key, not allowed, no CURVE), by reason. */
  refusedPeers(): Record<string, number>
}

/** Most worker messages held while no handler is registered yet. */
const MAX_HELD_MESSAGES = 10_000

/**
 * Binds reports PULL (port) and control PUB (port+1); connects one PUSH to each admitted
 * worker's own PULL (addressed dispatch) and reports a worker whose connection drops.
 */
export async function createZmqMonitorTransport(options: ZmqMonitorOptions): Promise<ZmqMonitorTransport> {
  const log = options.log ?? (() => {})
  const bind = options.bind ?? 'tcp://127.0.0.1'
  const port = options.port ?? 5555
  const { curve, lanes } = options
  if (lanes.length === 0) throw new ValidationError('the monitor needs at least one lane')
  for (const key of [curve?.secretKey, curve?.publicKey, ...(curve?.allow ?? [])]) {
    if (key !== undefined && !isZ85Key(key))
      throw new ValidationError(`CURVE key ${JSON.stringify(key.slice(0, 8))}… must be 40 Z85 characters`)
  }
  const context = new Context()
  const zap: ZapHandler | undefined = curve?.allow
    ? await startZapHandler(context, curve.allow, log)
    : undefined
  // A fresh object per socket: zeromq's constructor deletes `context` from the options it is given.
  const common = () => ({ context, linger: 0, ...LINK_KEEPALIVE, ...serverSecurity(curve) })
  const reports = new Pull({ ...common(), ...INBOUND_LIMIT })
  const control = new Publisher(common())
  const sockets: Socket[] = [reports, control]

  const refused: Record<string, number> = {}
  const countRefusal = (reason: string, detail: string): void => {
    const seen = refused[reason] ?? 0
    refused[reason] = seen + 1
    if (seen === 0)
      log(`refused a peer at the handshake (${reason}: ${detail}); further refusals are only counted`)
  }
  for (const socket of sockets) {
    socket.events.on('handshake:error:auth', ({ error }) => countRefusal('auth', error.message))
    socket.events.on('handshake:error:protocol', ({ error }) => countRefusal('protocol', error.code))
    socket.events.on('handshake:error:other', ({ error }) => countRefusal('other', error.message))
  }

  const bound: string[] = []
  try {
    for (const [i, socket] of sockets.entries()) {
      await bindRetrying(socket, `${bind}:${port === 0 ? '*' : port + i}`)
      bound.push(socket.lastEndpoint ?? `${bind}:${port + i}`)
    }
  } catch (error) {
    for (const socket of sockets) socket.close()
    zap?.close()
    throw error
  }

  const onSendError = (where: string) => (error: unknown) => log(`send on ${where} failed: ${String(error)}`)
  const controlQueue = createSendQueue(control, onSendError('control'))
  const links = new WorkerLinks({ context, curve, log, onSendError })
  const drops = createDropCounter(log)
  const handlers: ((message: WorkerMessage) => void)[] = []
  const held: WorkerMessage[] = []

  function deliver(message: WorkerMessage): void {
    if (handlers.length === 0) {
      if (held.length < MAX_HELD_MESSAGES) held.push(message)
      return
    }
    for (const handler of handlers) {
      try {
        handler(message)
      } catch (error) {
        log(`a report handler threw on ${message.type}: ${String(error)}`)
      }
    }
  }

  const receiveErrors = new Set<string>()
  void runReceiveLoop(
    reports,
    decodeWorkerMessage,
    deliver,
    (d) => drops.count(d, 'reports'),
    (error) => {
      const text = String(error)
      if (!receiveErrors.has(text)) log(`receiving a report failed: ${text} (logged once)`)
      receiveErrors.add(text)
    },
  )

  const endpoints: TransportEndpoints = {
    reports: bound[0]!,
    control: bound[1]!,
    lanes: [...lanes],
    curveServerKey: curve?.publicKey ?? null,
  }

  return {
    sendOrder(workerId, order) {
      if (!links.send(workerId, encodeFrame(order)))
        log(`order ${order.orderId} is for worker ${workerId}, which is not connected; dropped`)
    },
    admitWorker: (workerId, endpoint, curveKey) => links.admit(workerId, endpoint, curveKey),
    dropWorker: (workerId) => links.drop(workerId),
    onWorkerGone: (handler) => links.onGone(handler),
    publish(message) {
      controlQueue.push(encodeFrame(message))
    },
    onMessage(handler) {
      handlers.push(handler)
      for (const message of held.splice(0)) deliver(message)
    },
    dropped: () => drops.snapshot(),
    refusedPeers: () => ({ ...refused }),
    endpoints: () => structuredClone(endpoints),
    async close() {
      await controlQueue.drained(200)
      controlQueue.close()
      links.closeAll()
      // Unbinding first frees the ports before close returns, so a restart can bind them again.
      await Promise.allSettled(sockets.map((socket, i) => socket.unbind(bound[i]!)))
      for (const socket of sockets) socket.close()
      zap?.close()
    },
  }
}
