import type {
  ControlMessage,
  MonitorTransport,
  TaskOrder,
  WorkerMessage,
  WorkerTransport,
} from '../../core/domain/index.ts'

/** A worker's end of the in-memory transport; `simulateReconnect` fires its onReconnect handlers (tests). */
export interface MemoryWorkerTransport extends WorkerTransport {
  simulateReconnect(): void
  /** Drops this worker's link as a SIGKILL would (the monitor hears its connection go). */
  simulateCrash(): void
}

/** The in-memory transport: one monitor end, and as many worker ends as `connectWorker` makes. */
export interface MemoryTransport {
  monitor: MonitorTransport
  connectWorker: (lanes: string[]) => MemoryWorkerTransport
}

interface WorkerEnd {
  endpoint: string
  isPaused: boolean
  isClosed: boolean
  orderHandlers: ((order: TaskOrder) => void)[]
  controlHandlers: ((message: ControlMessage) => void)[]
  reconnectHandlers: (() => void)[]
  /** Orders that arrived before the worker listened. */
  held: TaskOrder[]
}

/** Delivers later, never re-entrantly; a copy, as if the message had crossed a socket. */
function deliver<T>(value: T, handlers: readonly ((value: T) => void)[]): void {
  const copy = structuredClone(value)
  setImmediate(() => {
    for (const handler of handlers) handler(copy)
  })
}

/**
 * Creates an in-process transport with addressed dispatch: each worker end has an endpoint
 * (`memory://N`, which it advertises); the monitor admits a worker by id and endpoint and sends
 * it its orders alone. Control messages go to every worker; reports reach the monitor's handlers.
 * A worker closed or crashed is reported to `onWorkerGone`. Delivery is asynchronous (setImmediate).
 */
export function createMemoryTransport(): MemoryTransport {
  const ends = new Map<string, WorkerEnd>()
  const admitted = new Map<string, WorkerEnd>()
  const goneHandlers: ((workerId: string) => void)[] = []
  const monitorHandlers: ((message: WorkerMessage) => void)[] = []
  const heldReports: WorkerMessage[] = []
  let isMonitorClosed = false

  function linkDropped(end: WorkerEnd): void {
    for (const [id, admittedEnd] of admitted) {
      if (admittedEnd !== end) continue
      admitted.delete(id)
      setImmediate(() => {
        for (const handler of goneHandlers) handler(id)
      })
    }
  }

  const monitor: MonitorTransport = {
    sendOrder(workerId, order) {
      if (isMonitorClosed) return
      const end = admitted.get(workerId)
      // A paused (stopping) or closed worker's link is gone: the order is lost, as over ZeroMQ.
      if (!end || end.isClosed || end.isPaused) return
      if (end.orderHandlers.length === 0) end.held.push(structuredClone(order))
      else deliver(order, end.orderHandlers)
    },
    admitWorker(workerId, endpoint) {
      const end = ends.get(endpoint)
      if (end && !end.isClosed) admitted.set(workerId, end)
    },
    dropWorker(workerId) {
      admitted.delete(workerId)
    },
    onWorkerGone(handler) {
      goneHandlers.push(handler)
    },
    publish(message) {
      if (isMonitorClosed) return
      for (const end of ends.values()) if (!end.isClosed) deliver(message, end.controlHandlers)
    },
    onMessage(handler) {
      monitorHandlers.push(handler)
      for (const message of heldReports.splice(0)) deliver(message, [handler])
    },
    dropped: () => ({}),
    async close() {
      isMonitorClosed = true
    },
  }

  function connectWorker(_lanes: string[]): MemoryWorkerTransport {
    const end: WorkerEnd = {
      endpoint: `memory://${ends.size + 1}`,
      isPaused: false,
      isClosed: false,
      orderHandlers: [],
      controlHandlers: [],
      reconnectHandlers: [],
      held: [],
    }
    ends.set(end.endpoint, end)
    return {
      onOrder(handler) {
        end.orderHandlers.push(handler)
        for (const order of end.held.splice(0)) deliver(order, end.orderHandlers)
      },
      onControl(handler) {
        end.controlHandlers.push(handler)
      },
      onReconnect(handler) {
        end.reconnectHandlers.push(handler)
      },
      send(message) {
        if (end.isClosed || isMonitorClosed) return
        if (monitorHandlers.length === 0) heldReports.push(structuredClone(message))
        else deliver(message, monitorHandlers)
      },
      endpoint: () => end.endpoint,
      pauseOrders() {
        end.isPaused = true
      },
      simulateReconnect() {
        setImmediate(() => {
          for (const handler of end.reconnectHandlers) handler()
        })
      },
      simulateCrash() {
        end.isClosed = true
        linkDropped(end)
      },
      async close() {
        end.isClosed = true
        linkDropped(end)
      },
    }
  }

  return { monitor, connectWorker }
}
