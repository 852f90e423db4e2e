import { Context, Pull, Push, Subscriber } from 'zeromq'
import {
  type ControlMessage,
  type TaskOrder,
  ValidationError,
  type WorkerTransport,
} from '../../core/domain/index.ts'
import { createDropCounter, decodeControl, decodeOrder, encodeFrame } from './codec.ts'
import { isZ85Key } from './curve-keys.ts'
import type { TransportEndpoints } from '../../core/domain/index.ts'
import { runReceiveLoop } from './receive-loop.ts'
import { createSendQueue } from './send-queue.ts'
import { clientSecurity, INBOUND_LIMIT, LINK_KEEPALIVE, type WorkerCurve } from './socket-options.ts'
import { startZapHandler, type ZapHandler } from './zap-handler.ts'

/** Settings of a worker's sockets. */
export interface ZmqWorkerOptions {
  /** Where the monitor listens (from `discoverTransport` or `endpoints()`). */
  endpoints: TransportEndpoints
  /** Lanes this worker serves; each must be one of the monitor's. */
  lanes: string[]
  /** CurveZMQ client keys; required when the monitor announces a server key. */
  curve?: WorkerCurve
  log?: (msg: string) => void
  /** How long close waits for queued reports to leave, ms (default 2000). */
  lingerMs?: number
  /** Where this worker's own PULL binds (`BANZAI_WORKER_BIND`, default `tcp://127.0.0.1:0`). */
  bind?: string
  /** The host to advertise instead of the bound one (`--advertise`, across machines). */
  advertise?: string
}

/** `tcp://HOST:0` → `tcp://HOST:*` (libzmq's ephemeral port). */
function bindAddress(bind: string): string {
  return bind.replace(/:0$/, ':*')
}

/** The endpoint to advertise: the bound one, with `advertise` as its host when given. */
function advertised(boundEndpoint: string, advertise: string | undefined): string {
  if (!advertise) return boundEndpoint
  const url = new URL(boundEndpoint)
  url.hostname = advertise
  return url.toString().replace(/\/$/, '')
}

/** A worker's ZeroMQ transport, with counts of dropped messages. */
export interface ZmqWorkerTransport extends WorkerTransport {
  dropped(): Record<string, number>
  /** Resolves once every socket has completed its handshake with the monitor (never, if refused). */
  connected(): Promise<void>
}

/**
 * Binds this worker's own PULL (orders addressed to it; under CURVE a CURVE server whose ZAP
 * handler admits only the monitor's key), connects PUSH to the reports socket and SUB to control;
 * notices reconnects.
 */
export function createZmqWorkerTransport(options: ZmqWorkerOptions): ZmqWorkerTransport {
  const log = options.log ?? (() => {})
  const { endpoints, lanes, curve } = options
  if (endpoints.curveServerKey && !curve)
    throw new ValidationError('the monitor uses CURVE: this worker needs a key pair (BANZAI_CURVE_SECRET)')
  for (const key of [curve?.secretKey, curve?.publicKey, curve?.serverKey]) {
    if (key !== undefined && !isZ85Key(key))
      throw new ValidationError(`CURVE key ${JSON.stringify(key.slice(0, 8))}… must be 40 Z85 characters`)
  }
  for (const lane of lanes) {
    if (!endpoints.lanes.includes(lane))
      throw new ValidationError(
        `lane ${lane} is not served by the monitor (its lanes: ${endpoints.lanes.join(', ')})`,
      )
  }
  const context = new Context()
  // A fresh object per socket: zeromq's constructor deletes `context` from the options it is given.
  const common = () => ({ context, ...LINK_KEEPALIVE, ...clientSecurity(curve) })
  const pullSecurity = curve
    ? {
        curveServer: true,
        curveSecretKey: curve.secretKey,
        curvePublicKey: curve.publicKey,
        zapDomain: 'banzai',
        zapEnforceDomain: true,
      }
    : {}
  const pull = new Pull({ context, ...LINK_KEEPALIVE, ...INBOUND_LIMIT, ...pullSecurity, linger: 0 })
  const pulls = [pull]
  let boundEndpoint = ''
  const reports = new Push({ ...common(), linger: options.lingerMs ?? 2_000 })
  const control = new Subscriber({ ...common(), linger: 0 })
  control.subscribe()

  const drops = createDropCounter(log)
  const reportQueue = createSendQueue(reports, (error) => log(`sending a report failed: ${String(error)}`), {
    batch: true,
  })
  const orderHandlers: ((order: TaskOrder) => void)[] = []
  const controlHandlers: ((message: ControlMessage) => void)[] = []
  const reconnectHandlers: (() => void)[] = []
  const heldOrders: TaskOrder[] = []

  const call = <T>(handlers: ((value: T) => void)[], value: T, what: string): void => {
    for (const handler of handlers) {
      try {
        handler(value)
      } catch (error) {
        log(`a ${what} handler threw: ${String(error)}`)
      }
    }
  }
  const handOrder = (order: TaskOrder): void => {
    if (orderHandlers.length === 0) heldOrders.push(order)
    else call(orderHandlers, order, 'order')
  }
  const onReceiveError = (error: unknown): void => log(`receiving failed: ${String(error)}`)
  for (const pull of pulls)
    void runReceiveLoop(pull, decodeOrder, handOrder, (d) => drops.count(d, 'orders'), onReceiveError)
  void runReceiveLoop(
    control,
    decodeControl,
    (m) => call(controlHandlers, m, 'control'),
    (d) => drops.count(d, 'control'),
    onReceiveError,
  )

  // A handshake (the link usable, CURVE accepted) after a 'disconnect' on the reports socket
  // is the link coming back.
  let isDisconnected = false
  let resolveConnected: () => void = () => {}
  const isConnected = new Promise<void>((resolve) => (resolveConnected = resolve))
  let waitingHandshakes = 2
  for (const socket of [control, reports]) {
    let hasShaken = false
    socket.events.on('handshake', () => {
      if (hasShaken) return
      hasShaken = true
      if (--waitingHandshakes === 0) resolveConnected()
    })
  }
  reports.events.on('disconnect', () => {
    isDisconnected = true
  })
  reports.events.on('handshake', () => {
    if (!isDisconnected) return
    isDisconnected = false
    call(reconnectHandlers, undefined, 'reconnect')
  })
  reports.events.on('handshake:error:auth', ({ error }) =>
    log(`the monitor refused this worker's key (${error.message})`),
  )
  // Connect only now: socket events that happen before an observer exists are lost.
  reports.connect(endpoints.reports)
  control.connect(endpoints.control)
  let zap: ZapHandler | undefined
  const bindAddr = bindAddress(options.bind ?? 'tcp://127.0.0.1:0')
  const isBound = (async () => {
    // Under CURVE, only the monitor's key may push orders here.
    zap = curve ? await startZapHandler(context, [curve.serverKey], log) : undefined
    await pull.bind(bindAddr)
    boundEndpoint = advertised(pull.lastEndpoint ?? bindAddr, options.advertise)
    // Heartbeats carry the endpoint: send one now rather than at the next interval.
    call(reconnectHandlers, undefined, 'reconnect')
  })()
  isBound.catch((error: unknown) => log(`binding the order socket on ${bindAddr} failed: ${String(error)}`))

  return {
    onOrder(handler) {
      orderHandlers.push(handler)
      for (const order of heldOrders.splice(0)) call(orderHandlers, order, 'order')
    },
    onControl(handler) {
      controlHandlers.push(handler)
    },
    onReconnect(handler) {
      reconnectHandlers.push(handler)
    },
    send(message) {
      reportQueue.push(encodeFrame(message))
    },
    endpoint: () => boundEndpoint,
    pauseOrders() {
      // The link stays up (a drop would tell the monitor this worker died, with units still
      // finishing): the stopping worker's heartbeat advertises no slots, so no order comes; one
      // already under way reaches the host, which hands it back while stopping.
    },
    dropped: () => drops.snapshot(),
    connected: () => Promise.all([isConnected, isBound]).then(() => undefined),
    async close() {
      await reportQueue.drained(options.lingerMs ?? 2_000)
      reportQueue.close()
      for (const socket of [...pulls, control, reports]) socket.close()
      zap?.close()
    },
  }
}
