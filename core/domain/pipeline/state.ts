import type { Cid } from '../cid.ts'
import type { ItemRange, UnitStats } from '../events.ts'
import type { OrderId, PipelineId } from '../ids.ts'
import type { ResolvedTask } from '../pipeline-spec.ts'

/** Retry policy, a monitor setting handed to every pipeline machine. */
export interface RetryPolicy {
  /** Failed attempts a unit may have before its step fails (default 3). */
  maxAttempts: number
  /** First backoff delay, ms; doubles per failure (default 500). */
  backoffBaseMs: number
  /** Backoff ceiling, ms (default 30 000). */
  backoffMaxMs: number
}

/** The default retry policy of SPEC §5. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, backoffBaseMs: 500, backoffMaxMs: 30_000 }

export type UnitStatus = 'queued' | 'dispatched' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** One unit `(step, shard)` and its current attempt. */
export interface UnitState {
  shard: number
  attempt: number
  status: UnitStatus
  orderId: OrderId | null
  worker: string | null
  /** Earliest dispatch time of a retry (ISO), or null. */
  notBefore: string | null
  /** Attempts that failed or were lost after starting; bounded by the policy. */
  failures: number
  /** Whether the current attempt reached a worker (OrderReceived). */
  started: boolean
  items: ItemRange | null
  output: Cid | null
  refs: Cid[]
  stats: UnitStats
  /** Attempts whose final report is recorded: a repeat of one records nothing more. */
  reported?: number[]
}

export type StepStatus = 'pending' | 'joined' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** One step of a pipeline. */
export interface StepState {
  index: number
  status: StepStatus
  input: Cid | null
  /** A step with several inputs: their CIDs in order (`input` is their concatenation). */
  inputs?: Cid[]
  memoKey: string | null
  startedAt: string | null
  leader: PipelineId | null
  itemCount: number | null
  shardSize: number | null
  /** The step's shard lists document (v3 perItem steps), or null. */
  shardLists?: Cid | null
  units: UnitState[]
  output: Cid | null
  refs: Cid[]
  error: string | null
}

export type MachineStatus = 'active' | 'succeeded' | 'failed' | 'cancelled'

/** What the pipeline machine knows: its context. */
export interface PipelineState {
  id: PipelineId
  name: string
  tasks: ResolvedTask[]
  cache: boolean
  status: MachineStatus
  steps: StepState[]
  output: Cid | null
  error: string | null
  policy: RetryPolicy
}

/**
 * What the machine needs the world for (SPEC §5): the monitor carries these out. Events the
 * machine already knows come back as events, never as effects.
 */
export type PipelineEffect =
  | { type: 'StartStep'; pipelineId: PipelineId; step: number; input: Cid | null; inputs?: Cid[] }
  | { type: 'CompleteStep'; pipelineId: PipelineId; step: number }
  | { type: 'CancelOrders'; orderIds: OrderId[] }

/** Whether a unit's current attempt is out with a worker. */
export function isInFlight(unit: UnitState): boolean {
  return unit.status === 'dispatched' || unit.status === 'running'
}

/** The order ids of every attempt out with a worker, in one step or the whole pipeline. */
export function inFlightOrders(state: PipelineState, step?: number): OrderId[] {
  const steps = step === undefined ? state.steps : state.steps.filter((s) => s.index === step)
  return steps.flatMap((s) => s.units.filter(isInFlight).flatMap((u) => (u.orderId ? [u.orderId] : [])))
}

/** The item range of one shard. */
export function shardRange(shard: number, itemCount: number, shardSize: number): ItemRange {
  return { start: Math.min(shard * shardSize, itemCount), end: Math.min((shard + 1) * shardSize, itemCount) }
}

/** Backoff before the retry that follows `failures` failures, ms. */
export function backoffDelay(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, failures - 1))
}
