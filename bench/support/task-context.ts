import {
  type Cid,
  makeOrderId,
  PipelineId,
  PROTOCOL_VERSION,
  type Store,
  type TaskContext,
  TaskOrder,
} from '../../core/domain/index.ts'

/** What one bench unit's order says besides its task. */
export interface BenchOrder {
  call: string
  version: number
  args: unknown[]
  input: Cid | null
  step?: number
  items?: { start: number; end: number }
}

/** A TaskContext as the worker host builds it for one unit, silent, never cancelled, on `store`. */
export function benchTaskContext(
  store: Store,
  order: BenchOrder,
  settings: { dataDir: string; allowedRoots?: string[] },
): TaskContext {
  const unit = { pipelineId: PipelineId.parse('bench-1'), step: order.step ?? 0, shard: 0, attempt: 1 }
  return {
    store,
    signal: new AbortController().signal,
    progress: () => {},
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    order: TaskOrder.parse({
      type: 'TaskOrder',
      v: PROTOCOL_VERSION,
      orderId: makeOrderId(unit),
      ...unit,
      call: order.call,
      version: order.version,
      args: order.args,
      input: order.input,
      ...(order.items ? { items: order.items } : {}),
      deadline: '2030-01-01T00:00:00.000Z',
    }),
    settings: { dataDir: settings.dataDir, allowedRoots: settings.allowedRoots ?? [], workerId: 'bench' },
  }
}
