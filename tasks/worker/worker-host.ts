import {
  assertNever,
  type ControlMessage,
  declarations,
  type Implementations,
  isTaskName,
  PROTOCOL_VERSION,
  type OrderId,
  type Store,
  TaskOrder,
  type TaskSettings,
  type WorkerMessage,
  type WorkerTransport,
  ValidationError,
} from '../../core/domain/index.ts'
import { waitOrTimeOut } from '../../transport/timing/index.ts'
import { runOrder, type RunningOrder } from './order-runner.ts'
import { createPendingReports } from './pending-reports.ts'
import { type PreparedTask, prepareTask } from './prepared-task.ts'
import { reportBase } from './report-base.ts'

/** What a worker host is built from. */
export interface WorkerHostOptions {
  transport: WorkerTransport
  /** The tasks this worker runs; their declarations are the built-in catalogue's. */
  implementations: Partial<Implementations>
  store: Store
  settings: TaskSettings
  lanes: string[]
  /** Orders run at once. */
  slots: number
  /** Under CURVE, this worker's public key (advertised: its order socket is a CURVE server). */
  curveKey?: string
  /** Heartbeat interval, ms (SPEC default 1000). */
  heartbeatMs: number
  host: string
  pid: number
  now?: () => Date
  /** Unacknowledged final reports are re-sent every this many heartbeats (default 3). */
  resendEveryBeats?: number
  /** Minimum time between two progress reports of one order, ms (default 250: 4 per second). */
  progressIntervalMs?: number
  /** How long an aborted task may take to stop before it is reported cancelled anyway, ms (default 2000). */
  abortGraceMs?: number
  /** How long a graceful stop lets running tasks finish, ms (default 10000). */
  graceMs?: number
  /** How long stop waits for the acknowledgement of final reports, ms (default 2000). */
  ackWaitMs?: number
  /** The host's own diagnostics (default: none). */
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void
  /**
   * The cluster this worker serves (from `GET /api/transport`): orders of another cluster are
   * refused, and every heartbeat and report carries it. Without it, reports echo the order's.
   */
  cluster?: string
}

/** A worker host: takes orders from its transport, runs them, reports (SPEC §5). */
export interface WorkerHost {
  start(): void
  /** Stops: graceful lets running tasks finish (up to graceMs), then aborts the rest and closes. */
  stop(options: { graceful: boolean }): Promise<void>
  /** The ids of the orders running now. */
  inFlight(): OrderId[]
}

/** Creates a worker host; nothing happens until `start()`. */
export function createWorkerHost(options: WorkerHostOptions): WorkerHost {
  const { transport, settings, lanes, slots } = options
  if (lanes.length === 0) throw new ValidationError('a worker must serve at least one lane')
  if (!Number.isInteger(slots) || slots < 1)
    throw new ValidationError(`slots must be an integer ≥ 1, got ${slots}`)
  const now = options.now ?? (() => new Date())
  const log = options.log ?? (() => {})
  const resendEveryBeats = options.resendEveryBeats ?? 3
  const running = new Map<OrderId, RunningOrder>()
  const pending = createPendingReports((message) => transport.send(message))
  const own = options.cluster !== undefined ? { cluster: options.cluster } : {}

  let heartbeatTimer: NodeJS.Timeout | undefined
  let beats = 0
  let isStopping = false
  let stopping: Promise<void> | undefined

  const runnerDeps = {
    store: options.store,
    settings,
    now,
    send: (message: WorkerMessage) => transport.send(message),
    sendFinal: (message: Parameters<typeof pending.send>[0]) => pending.send(message),
    progressIntervalMs: options.progressIntervalMs ?? 250,
    ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
    abortGraceMs: options.abortGraceMs ?? 2_000,
    log,
  }

  function sendHeartbeat(): void {
    transport.send({
      type: 'Heartbeat',
      v: PROTOCOL_VERSION,
      ...own,
      workerId: settings.workerId,
      host: options.host,
      pid: options.pid,
      lanes,
      // A stopping worker advertises no slots, so no credit is spent on it.
      slots: isStopping ? 0 : slots,
      inFlight: [...running.keys()],
      ...(transport.endpoint() ? { endpoint: transport.endpoint() } : {}),
      ...(options.curveKey ? { curveKey: options.curveKey } : {}),
    })
  }

  function refuse(order: TaskOrder, error: string): void {
    pending.send({
      type: 'OrderFailed',
      ...reportBase(order, settings.workerId, options.cluster),
      error,
      retryable: true,
    })
  }

  function failFor(order: TaskOrder, error: string): void {
    pending.send({
      type: 'OrderFailed',
      ...reportBase(order, settings.workerId, options.cluster),
      error,
      retryable: false,
    })
  }

  /** Gives an order back unstarted (no free slot, or stopping): the monitor re-queues it without spending an attempt. */
  function handBack(order: TaskOrder, why: string): void {
    log('info', `handing back ${order.orderId}: ${why}`)
    pending.send({
      type: 'OrderCancelled',
      ...reportBase(order, settings.workerId, options.cluster),
    })
  }

  function handleOrder(received: TaskOrder): void {
    const parsed = TaskOrder.safeParse(received)
    if (!parsed.success) {
      log('warn', `dropped an invalid order: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
      return
    }
    const order = parsed.data
    if (options.cluster !== undefined && order.cluster !== options.cluster) {
      // An order from another data folder's monitor (e.g. a new `up` on the same ports): never run it.
      log(
        'warn',
        `refused order ${order.orderId}: it is from cluster ${order.cluster ?? '(none)'}, this worker serves cluster ${options.cluster}`,
      )
      return
    }
    // A repeated order (the monitor re-sent it) gets the same answer again, never a second run.
    if (running.has(order.orderId)) {
      transport.send({
        type: 'OrderReceived',
        ...reportBase(order, settings.workerId, options.cluster),
      })
      return
    }
    const kept = pending.get(order.orderId)
    if (kept) {
      transport.send(kept)
      return
    }
    if (isStopping) return handBack(order, 'worker is shutting down')
    const call = order.call
    const unknown = `task ${call} is not known to worker ${settings.workerId}`
    if (!isTaskName(call)) return refuse(order, unknown)
    const decl = declarations[call]
    if (order.version !== decl.version) {
      return refuse(
        order,
        `task ${call} version ${order.version} was ordered, but worker ${settings.workerId} runs version ${decl.version}`,
      )
    }
    let task: PreparedTask | undefined
    try {
      task = prepareTask(call, options.implementations, order.args)
    } catch (error) {
      // The monitor checked these arguments at submission: an order they do not fit is never retried.
      return failFor(order, error instanceof Error ? error.message : String(error))
    }
    if (!task) return refuse(order, unknown)
    if (running.size >= slots) return handBack(order, `worker full (${slots} slots busy)`)
    const run = runOrder(order, decl, task, runnerDeps)
    running.set(order.orderId, run)
    void run.done.then(() => running.delete(order.orderId))
  }

  function handleControl(message: ControlMessage): void {
    switch (message.type) {
      case 'CancelOrder':
        running.get(message.orderId)?.abort('cancelled')
        return
      case 'Ack':
        pending.acknowledge(message.orderIds)
        return
      case 'Hello':
        // A (re)started monitor: tell it who we are and what it has not acknowledged.
        sendHeartbeat()
        pending.resendAll()
        return
      case 'WorkerRefused':
        if (message.workerId === settings.workerId)
          log('error', `the monitor refuses this worker: ${message.reason}`)
        return
      default:
        assertNever(message, 'control message')
    }
  }

  function beat(): void {
    sendHeartbeat()
    beats++
    if (beats % resendEveryBeats === 0) pending.resendAll()
  }

  async function shutDown(graceful: boolean): Promise<void> {
    isStopping = true
    transport.pauseOrders()
    sendHeartbeat()
    if (graceful)
      await waitOrTimeOut(Promise.all([...running.values()].map((r) => r.done)), options.graceMs ?? 10_000)
    for (const run of running.values()) run.abort('shutdown')
    await Promise.all([...running.values()].map((r) => r.done))
    clearInterval(heartbeatTimer)
    sendHeartbeat()
    await pending.settled(graceful ? (options.ackWaitMs ?? 2_000) : 0)
    if (pending.size() > 0) log('warn', `closing with ${pending.size()} unacknowledged final reports`)
    await transport.close()
  }

  return {
    start() {
      transport.onOrder(handleOrder)
      transport.onControl(handleControl)
      transport.onReconnect(() => {
        sendHeartbeat()
        pending.resendAll()
      })
      sendHeartbeat()
      heartbeatTimer = setInterval(beat, options.heartbeatMs)
    },
    stop({ graceful }) {
      stopping ??= shutDown(graceful)
      return stopping
    },
    inFlight: () => [...running.keys()],
  }
}
