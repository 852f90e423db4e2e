import {
  isRetryable,
  PROTOCOL_VERSION,
  type OrderId,
  type Store,
  type TaskContext,
  type TaskDeclaration,
  type TaskOrder,
  type TaskResult,
  type TaskSettings,
  type WorkerMessage,
} from '../../core/domain/index.ts'
import { createLogBuffer } from './log-buffer.ts'
import type { PreparedTask } from './prepared-task.ts'
import { createProgressThrottle } from './progress-throttle.ts'
import { unsendableReason } from './report-size.ts'
import { runPerItem } from './run-per-item.ts'

const MAX_ERROR_CHARS = 10_000

/** Why a running order was aborted. */
export type AbortCause = 'cancelled' | 'shutdown'

/** What running an order needs from its host. */
export interface OrderRunnerDeps {
  store: Store
  settings: TaskSettings
  now: () => Date
  /** Sends a non-final report (OrderReceived, OrderProgress). */
  send(message: WorkerMessage): void
  /** Sends a final report (kept until acknowledged). */
  sendFinal(
    message: Extract<WorkerMessage, { type: 'OrderSucceeded' | 'OrderFailed' | 'OrderCancelled' }>,
  ): void
  /** Minimum time between two progress reports, ms. */
  progressIntervalMs: number
  /** How long an aborted task may take to stop before it is reported cancelled anyway, ms. */
  abortGraceMs: number
  /** The host's own diagnostics. */
  log(level: 'info' | 'warn' | 'error', msg: string): void
}

/** One order being run. */
export interface RunningOrder {
  orderId: OrderId
  /** Aborts the task (ctx.signal); it is reported OrderCancelled. */
  abort(cause: AbortCause): void
  /** Resolves once the final report was sent. */
  done: Promise<void>
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error)
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text
}

/** Sends OrderReceived, runs the task, and sends its final report (succeeded, failed or cancelled). */
export function runOrder(
  order: TaskOrder,
  decl: TaskDeclaration,
  task: PreparedTask,
  deps: OrderRunnerDeps,
): RunningOrder {
  const base = { v: PROTOCOL_VERSION, orderId: order.orderId, workerId: deps.settings.workerId } as const
  const controller = new AbortController()
  const logs = createLogBuffer(deps.now)
  const throttle = createProgressThrottle(
    (p) =>
      deps.send({
        type: 'OrderProgress',
        ...base,
        done: p.done,
        total: p.total,
        unit: p.unit.slice(0, 32),
        logs: logs.drain(),
      }),
    deps.progressIntervalMs,
  )
  let isFinished = false
  let graceTimer: NodeJS.Timeout | undefined
  let resolveDone: () => void = () => {}
  const done = new Promise<void>((resolve) => (resolveDone = resolve))

  const finish = (outcome: { ok: true; result: TaskResult } | { ok: false; error: unknown }): void => {
    if (isFinished) return
    isFinished = true
    clearTimeout(graceTimer)
    if (controller.signal.aborted) {
      throttle.flush()
      deps.sendFinal({ type: 'OrderCancelled', ...base, logs: logs.drain() })
    } else if (outcome.ok) {
      throttle.flush()
      const { output, refs, stats } = outcome.result
      const drained = logs.drain()
      const report = {
        type: 'OrderSucceeded',
        ...base,
        output,
        refs,
        stats: stats ?? {},
        logs: drained,
      } as const
      // A report the monitor would drop fails its unit here, saying why (never a silent lease expiry).
      const reason = unsendableReason(report)
      if (reason === null) deps.sendFinal(report)
      else {
        deps.log('error', `order ${order.orderId}: ${reason}`)
        deps.sendFinal({ type: 'OrderFailed', ...base, error: reason, retryable: false, logs: drained })
      }
    } else {
      throttle.flush()
      const error = errorMessage(outcome.error)
      deps.sendFinal({
        type: 'OrderFailed',
        ...base,
        error,
        retryable: isRetryable(outcome.error),
        logs: logs.drain(),
      })
    }
    resolveDone()
  }

  const ctx: TaskContext = {
    store: deps.store,
    signal: controller.signal,
    progress: (doneCount, total, unit) => throttle.update({ done: doneCount, total, unit }),
    log: logs.logger,
    order,
    settings: deps.settings,
  }

  deps.send({ type: 'OrderReceived', ...base })
  // Starting inside a promise turns a synchronous throw of the task into a failure too.
  Promise.resolve()
    .then(() =>
      task.kind === 'whole' ? task.run(order.input, ctx) : runPerItem(task.runItem.bind(task), decl, ctx),
    )
    // Blobs written by the task become durable together, before the report that names them.
    .then(async (result) => {
      await deps.store.flush()
      return result
    })
    .then(
      (result) => finish({ ok: true, result }),
      (error: unknown) => finish({ ok: false, error }),
    )
    .catch((error: unknown) => {
      // Only a bug in reporting lands here: the task's own errors became a report above.
      deps.log('error', `order ${order.orderId}: could not report: ${errorMessage(error)}`)
      resolveDone()
    })

  return {
    orderId: order.orderId,
    abort(cause) {
      if (isFinished || controller.signal.aborted) return
      controller.abort(
        new Error(cause === 'cancelled' ? 'the order was cancelled' : 'the worker is shutting down'),
      )
      // A task that ignores its signal must not hold the slot (or the shutdown) forever.
      graceTimer = setTimeout(() => finish({ ok: false, error: new Error('aborted') }), deps.abortGraceMs)
    },
    done,
  }
}
