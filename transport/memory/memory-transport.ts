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
}

/** The in-memory transport: one monitor end, and as many worker ends as `connectWorker` makes. */
export interface MemoryTransport {
  monitor: MonitorTransport
  connectWorker: (lanes: string[]) => MemoryWorkerTransport
}

interface WorkerEnd {
  lanes: ReadonlySet<string>
  isPaused: boolean
  isClosed: boolean
  orderHandlers: ((order: TaskOrder) => void)[]
  controlHandlers: ((message: ControlMessage) => void)[]
  reconnectHandlers: (() => void)[]
}

/** Delivers later, never re-entrantly; a copy, as if the message had crossed a socket. */
function deliver<T>(value: T, handlers: readonly ((value: T) => void)[]): void {
  const copy = structuredClone(value)
  setImmediate(() => {
    for (const handler of handlers) handler(copy)
  })
}

/**
 * Creates an in-process transport: orders on a lane go round-robin to the open, unpaused
 * workers serving it (held until one connects), control messages go to every worker,
 * reports reach the monitor's handlers. Delivery is asynchronous (setImmediate).
 */
export function createMemoryTransport(): MemoryTransport {
  const workers: WorkerEnd[] = []
  const nextByLane = new Map<string, number>()
  const heldOrders = new Map<string, TaskOrder[]>()
  const monitorHandlers: ((message: WorkerMessage) => void)[] = []
  const heldReports: WorkerMessage[] = []
  let isMonitorClosed = false

  function pickWorker(lane: string): WorkerEnd | undefined {
    const serving = workers.filter(
      (w) => !w.isClosed && !w.isPaused && w.orderHandlers.length > 0 && w.lanes.has(lane),
    )
    if (serving.length === 0) return undefined
    const next = nextByLane.get(lane) ?? 0
    nextByLane.set(lane, next + 1)
    return serving[next % serving.length]
  }

  function routeOrder(lane: string, order: TaskOrder): void {
    const worker = pickWorker(lane)
    if (!worker) {
      const held = heldOrders.get(lane) ?? []
      held.push(order)
      heldOrders.set(lane, held)
      return
    }
    deliver(order, worker.orderHandlers)
  }

  function releaseHeld(): void {
    // A snapshot: orders still without a worker go back into the map while we route.
    const snapshot = [...heldOrders]
    heldOrders.clear()
    for (const [lane, held] of snapshot) for (const order of held) routeOrder(lane, order)
  }

  const monitor: MonitorTransport = {
    sendOrder(lane, order) {
      if (!isMonitorClosed) routeOrder(lane, order)
    },
    publish(message) {
      if (isMonitorClosed) return
      for (const worker of workers) if (!worker.isClosed) deliver(message, worker.controlHandlers)
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

  function connectWorker(lanes: string[]): MemoryWorkerTransport {
    const end: WorkerEnd = {
      lanes: new Set(lanes),
      isPaused: false,
      isClosed: false,
      orderHandlers: [],
      controlHandlers: [],
      reconnectHandlers: [],
    }
    workers.push(end)
    return {
      onOrder(handler) {
        end.orderHandlers.push(handler)
        releaseHeld()
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
      pauseOrders() {
        end.isPaused = true
      },
      simulateReconnect() {
        setImmediate(() => {
          for (const handler of end.reconnectHandlers) handler()
        })
      },
      async close() {
        end.isClosed = true
      },
    }
  }

  return { monitor, connectWorker }
}
