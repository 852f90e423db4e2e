import type { OrderId, WorkerMessage } from '../../core/domain/index.ts'
import { waitOrTimeOut } from '../../transport/timing/index.ts'

type FinalReport = Extract<WorkerMessage, { type: 'OrderSucceeded' | 'OrderFailed' | 'OrderCancelled' }>

/** Final reports kept until the monitor acknowledges them, re-sent on reconnect and periodically. */
export interface PendingReports {
  /** Sends a final report and keeps it until acknowledged. */
  send(report: FinalReport): void
  /** Forgets the acknowledged reports. */
  acknowledge(orderIds: readonly OrderId[]): void
  /** Re-sends every unacknowledged report. */
  resendAll(): void
  /** The report kept for an order, if any (a repeated order gets it again). */
  get(orderId: OrderId): FinalReport | undefined
  size(): number
  /** Resolves once every report is acknowledged, or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<void>
}

/** Creates the store of unacknowledged final reports over a `send` function. */
export function createPendingReports(transmit: (message: WorkerMessage) => void): PendingReports {
  const pending = new Map<OrderId, FinalReport>()
  let waiters: (() => void)[] = []
  const wake = (): void => {
    if (pending.size > 0) return
    for (const waiter of waiters.splice(0)) waiter()
  }
  return {
    send(report) {
      pending.set(report.orderId, report)
      transmit(report)
    },
    acknowledge(orderIds) {
      for (const id of orderIds) pending.delete(id)
      wake()
    },
    resendAll() {
      // Repeats keep their logs: the first copy may have been lost; the monitor ignores repeats.
      for (const report of pending.values()) transmit(report)
    },
    get: (orderId) => pending.get(orderId),
    size: () => pending.size,
    settled(timeoutMs) {
      if (pending.size === 0) return Promise.resolve()
      let done = (): void => {}
      const acknowledged = new Promise<void>((resolve) => waiters.push((done = resolve)))
      return waitOrTimeOut(acknowledged, timeoutMs).then((outcome) => {
        if (outcome === 'timed out') waiters = waiters.filter((w) => w !== done)
      })
    },
  }
}
