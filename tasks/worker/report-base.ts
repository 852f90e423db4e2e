import { PROTOCOL_VERSION, type TaskOrder } from '../../core/domain/index.ts'

/**
 * The fields every report of an order carries (SPEC §5): the version, the cluster (the
 * worker's own, or the order's when the worker was given none), the order id, the order's
 * token echoed, and the worker id.
 */
export function reportBase(order: TaskOrder, workerId: string, cluster: string | undefined) {
  const from = cluster ?? order.cluster
  return {
    v: PROTOCOL_VERSION,
    ...(from !== undefined ? { cluster: from } : {}),
    orderId: order.orderId,
    ...(order.token !== undefined ? { token: order.token } : {}),
    workerId,
  } as const
}
