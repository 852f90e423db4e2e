import { z } from 'zod'
import { Cid } from './cid.ts'
import { MAX_REFS } from './documents.ts'
import { ItemRange, UnitStats } from './events.ts'
import { IsoTime, OrderId, PipelineId, WorkerId } from './ids.ts'

/** Largest encoded message on any socket, bytes (SPEC §10); a report over it fails its unit instead. */
export const MAX_MESSAGE_BYTES = 1024 * 1024

/**
 * Version of the worker protocol (v2: addressed dispatch). A report or order of another version
 * is dropped; a heartbeat of another version is read far enough to refuse its worker with the reason.
 */
export const PROTOCOL_VERSION = 2

/** What a perItem task computed for one item: the fields it adds, ready to merge. */
export const ItemResult = z.record(z.string(), z.unknown())
export type ItemResult = z.infer<typeof ItemResult>

/** The data folder's id (made once, kept in its log): a worker serves one cluster only. */
export const ClusterId = z.string().min(1).max(64)
export type ClusterId = z.infer<typeof ClusterId>

/** An order's token: an HMAC of its id under the cluster's secret (hex), echoed by its reports. */
export const OrderToken = z.string().min(1).max(128)

/** monitor → worker: run one attempt of one unit. */
export const TaskOrder = z.object({
  type: z.literal('TaskOrder'),
  v: z.literal(PROTOCOL_VERSION),
  /** The sending monitor's cluster; a worker refuses an order of another cluster. */
  cluster: ClusterId.optional(),
  orderId: OrderId,
  /** Sent only to the worker that runs the order; never in an event, API answer or log line. */
  token: OrderToken.optional(),
  pipelineId: PipelineId,
  step: z.number().int().min(0),
  shard: z.number().int().min(0),
  attempt: z.number().int().min(1),
  call: z.string(),
  version: z.number().int(),
  args: z.array(z.unknown()),
  input: Cid.nullable(),
  items: ItemRange.optional(),
  /** The shard's own item list (a manifest of only its items, written by the monitor): read instead of `input`. */
  itemList: Cid.optional(),
  /** Per-item results already memoized, by item index: the worker reuses them. */
  known: z.record(z.string(), ItemResult).optional(),
  deadline: IsoTime,
})
export type TaskOrder = z.infer<typeof TaskOrder>

/** A log line a task wrote; travels with its worker's reports. */
export const LogLine = z.object({
  at: IsoTime,
  level: z.enum(['debug', 'info', 'warn', 'error']),
  msg: z.string().max(2_000),
})
export type LogLine = z.infer<typeof LogLine>

const report = {
  v: z.literal(PROTOCOL_VERSION),
  cluster: ClusterId.optional(),
  orderId: OrderId,
  /** The order's token, echoed: a report without the right one is ignored. */
  token: OrderToken.optional(),
  workerId: WorkerId,
  logs: z.array(LogLine).max(100).optional(),
}

export const OrderReceived = z.object({ type: z.literal('OrderReceived'), ...report })
export const OrderProgress = z.object({
  type: z.literal('OrderProgress'),
  ...report,
  done: z.number().min(0),
  total: z.number().min(0),
  unit: z.string().max(32),
})
export const OrderSucceeded = z.object({
  type: z.literal('OrderSucceeded'),
  ...report,
  output: Cid,
  refs: z.array(Cid).max(MAX_REFS),
  stats: UnitStats,
})
export const OrderFailed = z.object({
  type: z.literal('OrderFailed'),
  ...report,
  error: z.string().max(10_000),
  retryable: z.boolean(),
})
export const OrderCancelled = z.object({ type: z.literal('OrderCancelled'), ...report })
export const Heartbeat = z.object({
  type: z.literal('Heartbeat'),
  /** Any version parses, so that a worker of another one can be refused with the reason. */
  v: z.number().int(),
  cluster: ClusterId.optional(),
  workerId: WorkerId,
  host: z.string().max(255),
  pid: z.number().int(),
  lanes: z.array(z.string()).min(1).max(32),
  slots: z.number().int().min(0).max(1024),
  inFlight: z.array(OrderId).max(1024),
  /** Where the worker's own PULL takes orders (v2), e.g. `tcp://127.0.0.1:41234`. */
  endpoint: z.string().max(255).optional(),
  /** Under CURVE, the worker's public key: its PULL is a CURVE server with that key (v2). */
  curveKey: z.string().length(40).optional(),
})

/** worker → monitor, on the reports PULL socket. */
export const WorkerMessage = z.discriminatedUnion('type', [
  OrderReceived,
  OrderProgress,
  OrderSucceeded,
  OrderFailed,
  OrderCancelled,
  Heartbeat,
])
export type WorkerMessage = z.infer<typeof WorkerMessage>
export type OrderReport = Exclude<WorkerMessage, { type: 'Heartbeat' }>
export type Heartbeat = z.infer<typeof Heartbeat>
/** A worker's success report. */
export type OrderSucceeded = z.infer<typeof OrderSucceeded>
/** The final reports, which the monitor acknowledges. */
export const FINAL_REPORTS: ReadonlySet<WorkerMessage['type']> = new Set([
  'OrderSucceeded',
  'OrderFailed',
  'OrderCancelled',
])

export const CancelOrder = z.object({ type: z.literal('CancelOrder'), orderId: OrderId })
export const Ack = z.object({ type: z.literal('Ack'), orderIds: z.array(OrderId) })
export const Hello = z.object({ type: z.literal('Hello'), lanes: z.array(z.string()) })
/** The monitor will not send this worker orders, and says why (another protocol version, …). */
export const WorkerRefused = z.object({
  type: z.literal('WorkerRefused'),
  workerId: WorkerId,
  reason: z.string().max(500),
})

/** monitor → workers, on the control PUB socket. */
export const ControlMessage = z.discriminatedUnion('type', [CancelOrder, Ack, Hello, WorkerRefused])
export type ControlMessage = z.infer<typeof ControlMessage>
