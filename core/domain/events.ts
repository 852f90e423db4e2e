import { z } from 'zod'
import { Cid } from './cid.ts'
import { IsoTime, OrderId, PipelineId } from './ids.ts'
import { ResolvedTask } from './pipeline-spec.ts'

/** The half-open item range `[start, end)` a shard covers. */
export const ItemRange = z.object({ start: z.number().int().min(0), end: z.number().int().min(0) })
export type ItemRange = z.infer<typeof ItemRange>

/** Counters a unit reports (items computed, items reused, bytes, …). */
export const UnitStats = z.record(z.string(), z.number())
export type UnitStats = z.infer<typeof UnitStats>

const step = z.number().int().min(0)
const shard = z.number().int().min(0)
const attempt = z.number().int().min(1)
const unit = { step, shard, attempt }

function event<T extends string, S extends z.ZodRawShape>(type: T, data: S) {
  return z.object({ type: z.literal(type), data: z.object(data) })
}

export const PipelineSubmitted = event('PipelineSubmitted', {
  name: z.string(),
  tasks: z.array(ResolvedTask),
  labels: z.record(z.string(), z.string()),
  cache: z.boolean(),
  retryOf: PipelineId.nullable().optional(),
})
export const StepStarted = event('StepStarted', {
  step,
  input: Cid.nullable(),
  /** v3: a step with several inputs lists their CIDs in order; `input` is then their concatenation. */
  inputs: z.array(Cid).min(2).optional(),
  shards: z.number().int().min(1),
  memoKey: z.string(),
  /** For perItem steps: the number of items and the shard size that cut them. */
  itemCount: z.number().int().min(0).optional(),
  shardSize: z.number().int().min(1).optional(),
  /** For perItem steps (v3): the CID of the step's shard lists document (one item list per shard). */
  shardLists: Cid.optional(),
})
export const StepCacheHit = event('StepCacheHit', {
  step,
  output: Cid,
  refs: z.array(Cid),
  from: z.object({ pipelineId: PipelineId, step }),
})
export const StepJoined = event('StepJoined', { step, leader: PipelineId, memoKey: z.string() })
export const UnitDispatched = event('UnitDispatched', {
  ...unit,
  orderId: OrderId,
  lane: z.string(),
  items: ItemRange.optional(),
  /** The worker chosen for the unit (v3; absent in older logs). */
  worker: z.string().optional(),
  /** Why that worker: `free` (a free slot), `locality` (its node holds the input). */
  reason: z.string().optional(),
})
export const UnitStarted = event('UnitStarted', { ...unit, orderId: OrderId, worker: z.string() })
export const UnitProgressed = event('UnitProgressed', {
  ...unit,
  done: z.number().min(0),
  total: z.number().min(0),
  unit: z.string(),
})
export const UnitSucceeded = event('UnitSucceeded', {
  ...unit,
  output: Cid,
  refs: z.array(Cid),
  stats: UnitStats,
})
export const UnitFailed = event('UnitFailed', { ...unit, error: z.string(), retryable: z.boolean() })
export const UnitLeaseExpired = event('UnitLeaseExpired', { ...unit, worker: z.string().nullable() })
/** The unit's worker is gone: its connection dropped, or it missed two heartbeats. */
export const UnitWorkerLost = event('UnitWorkerLost', {
  ...unit,
  worker: z.string(),
  cause: z.enum(['disconnected', 'silent']),
})
export const UnitRetryScheduled = event('UnitRetryScheduled', { ...unit, notBefore: IsoTime })
export const UnitReportIgnored = event('UnitReportIgnored', { ...unit, reason: z.string() })
export const StepSucceeded = event('StepSucceeded', { step, output: Cid, refs: z.array(Cid) })
export const StepFailed = event('StepFailed', { step, error: z.string() })
export const PipelineSucceeded = event('PipelineSucceeded', { output: Cid })
export const PipelineFailed = event('PipelineFailed', { error: z.string() })
export const PipelineCancelled = event('PipelineCancelled', { reason: z.string() })
/** A finished pipeline removed from lists, memo and GC roots (SPEC §5, §7). */
export const PipelineDeleted = event('PipelineDeleted', { reason: z.string() })

/** Every event of SPEC §5, as `{type, data}`. Stored events never change meaning. */
export const DomainEvent = z.discriminatedUnion('type', [
  PipelineSubmitted,
  StepStarted,
  StepCacheHit,
  StepJoined,
  UnitDispatched,
  UnitStarted,
  UnitProgressed,
  UnitSucceeded,
  UnitFailed,
  UnitLeaseExpired,
  UnitWorkerLost,
  UnitRetryScheduled,
  UnitReportIgnored,
  StepSucceeded,
  StepFailed,
  PipelineSucceeded,
  PipelineFailed,
  PipelineCancelled,
  PipelineDeleted,
])
export type DomainEvent = z.infer<typeof DomainEvent>
export type EventType = DomainEvent['type']

/** Every event type, read off the `DomainEvent` union (in its order). */
export const EVENT_TYPES: readonly EventType[] = DomainEvent.options.map((option) => option.shape.type.value)
/** The event of one type. */
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>

/** An event as stored in the log: its place and time around it. */
export const StoredEvent = z.intersection(
  z.object({
    seq: z.number().int().min(1),
    pipelineId: PipelineId,
    pipelineSeq: z.number().int().min(1),
    at: IsoTime,
  }),
  DomainEvent,
)
export type StoredEvent = z.infer<typeof StoredEvent>

// The JSON of each event's data, made once: the log's `data` column and every SSE frame of the
// event use the same text (a tick's events reach the log and the streams as the same objects).
const dataJsonOf = new WeakMap<StoredEvent, string>()

/** An event's `data` as JSON, encoded once per event object. */
export function eventDataJson(event: StoredEvent): string {
  let json = dataJsonOf.get(event)
  if (json === undefined) {
    json = JSON.stringify(event.data)
    dataJsonOf.set(event, json)
  }
  return json
}

/** A stored event as JSON (the shape `StoredEvent` parses), its data encoded once (`eventDataJson`). */
export function storedEventJson(event: StoredEvent): string {
  return `{"seq":${event.seq},"pipelineId":${JSON.stringify(event.pipelineId)},"pipelineSeq":${event.pipelineSeq},"at":${JSON.stringify(event.at)},"type":${JSON.stringify(event.type)},"data":${eventDataJson(event)}}`
}

/** Event types after which a pipeline is final. */
export const FINAL_EVENTS: ReadonlySet<EventType> = new Set([
  'PipelineSucceeded',
  'PipelineFailed',
  'PipelineCancelled',
])
