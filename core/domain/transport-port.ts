import type { ControlMessage, TaskOrder, WorkerMessage } from './messages.ts'

/**
 * The monitor's side of the transport (SPEC §5–6): orders go out on their lane, control
 * messages are broadcast, worker messages come in already validated. Implemented over
 * ZeroMQ (transport/zmq) and in memory (transport/memory) for tests.
 */
export interface MonitorTransport {
  /** Queues an order for one admitted worker (its own PUSH); never throws for a busy socket. */
  sendOrder(workerId: string, order: TaskOrder): void
  /**
   * Connects to a registered worker's advertised endpoint (again, if it changed); under CURVE
   * `curveKey` is the worker's public key, its PULL being a CURVE server.
   */
  admitWorker(workerId: string, endpoint: string, curveKey?: string): void
  /** Closes the link to a worker (evicted, stopping, gone). */
  dropWorker(workerId: string): void
  /** Registers the handler called when an admitted worker's connection drops. */
  onWorkerGone(handler: (workerId: string) => void): void
  /** Broadcasts a control message (CancelOrder, Ack, Hello) to every worker. */
  publish(message: ControlMessage): void
  /** Registers the handler of every valid message a worker sends. */
  onMessage(handler: (message: WorkerMessage) => void): void
  /** Counts of messages dropped as malformed or unknown, by kind. */
  dropped(): Record<string, number>
  close(): Promise<void>
}

/** The worker's side: orders for its lanes, control messages, and a way to report. */
export interface WorkerTransport {
  onOrder(handler: (order: TaskOrder) => void): void
  onControl(handler: (message: ControlMessage) => void): void
  /** Called after the link to the monitor came back (re-send unacknowledged reports). */
  onReconnect(handler: () => void): void
  /** Queues a report; never throws for a busy socket. */
  send(message: WorkerMessage): void
  /** The endpoint this worker takes orders on, to advertise in heartbeats ('' until bound). */
  endpoint(): string
  /** Stops taking orders (SIGTERM) while reports still flow. */
  pauseOrders(): void
  close(): Promise<void>
}
