import {
  BanzaiError,
  createPipeline,
  type PipelineId,
  type PipelineSpec,
  type RetryPolicy,
  type OrderSucceeded,
  type WorkerMessage,
} from '../../domain/index.ts'
import type { Submission } from '../monitor-port.ts'
import type { MemoVerdict } from './memo-check.ts'
import type { PipelineTable } from '../pipeline-table.ts'
import type { Actors } from './actor.ts'
import type { RecordEvent } from './record-event.ts'
import type { Tick } from './tick.ts'

/** What handling submissions and cancels uses. */
export interface RequestDeps {
  actors: Actors
  pipelines: PipelineTable
  retryPolicy: RetryPolicy
  /** Makes a new pipeline id. */
  newPipelineId: () => string
  recordEvent: RecordEvent
  /** Why new work is refused now (the disk is full and the space reserve was released), or null. */
  refusal?: () => string | null
}

/** How a request's caller learns its outcome, once the tick has committed (or failed). */
export interface Settle<T> {
  resolve(value: T): void
  reject(error: unknown): void
}

/** What the engine handles in a tick. */
export type Input =
  | { kind: 'message'; message: WorkerMessage }
  /** A success report whose output was checked against the store, outside a tick. */
  | { kind: 'checked'; message: OrderSucceeded; readable: boolean }
  /** A memo hit whose output was checked against the store, outside a tick. */
  | { kind: 'memoChecked'; verdict: MemoVerdict }
  /** After a restart: start again the steps that waited for a memo check when the monitor stopped. */
  | { kind: 'resumeStarts' }
  | {
      kind: 'submit'
      spec: PipelineSpec
      idempotencyKey: string | null
      retryOf: string | null
      done: Settle<Submission>
    }
  | { kind: 'cancel'; id: PipelineId; reason: string; done: Settle<boolean> }
  | { kind: 'delete'; id: PipelineId; reason: string; done: Settle<void> }
  /** Work that must not interleave with a tick (a GC mark or sweep, a cache clear). */
  | { kind: 'exclusive'; run: () => Promise<void>; done: Settle<void> }
  | { kind: 'clock' }
  /** Look for units to dispatch (credit was freed), without the clock's lease and timeout checks. */
  | { kind: 'dispatch' }
  /** Commit the tick left open (it waited OPEN_TICK_MS for more inputs). */
  | { kind: 'flush' }
  | { kind: 'workerGone'; workerId: string }

type Settled = (() => void)[]
type Failed = ((error: unknown) => void)[]

/** Records a submission (`PipelineSubmitted`), or finds the pipeline its Idempotency-Key made before. */
export async function handleSubmit(
  deps: RequestDeps,
  tick: Tick,
  input: Input & { kind: 'submit' },
  settled: Settled,
  failed: Failed,
): Promise<void> {
  if (input.idempotencyKey) {
    const existing =
      deps.pipelines.findByIdempotencyKey(input.idempotencyKey) ??
      [...deps.actors.values()].find((a) => a.idempotencyKey === input.idempotencyKey)?.id
    if (existing) {
      settled.push(() => input.done.resolve({ id: existing, created: false }))
      return
    }
  }
  const refusal = deps.refusal?.() ?? null
  if (refusal !== null) throw new BanzaiError('unavailable', refusal)
  const id = deps.newPipelineId() as PipelineId
  const submitted = { ...input.spec, retryOf: (input.retryOf as PipelineId | null) ?? null }
  const snapshot = createPipeline({ id, submitted, policy: deps.retryPolicy })
  tick.touch(id, undefined)
  deps.actors.set(id, { id, snapshot, detail: null, lastSeq: 0, idempotencyKey: input.idempotencyKey })
  await deps.recordEvent(tick, id, { type: 'PipelineSubmitted', data: submitted })
  settled.push(() => {
    // Read after the commit: the detail as committed (null if the pipeline already ended and went).
    const detail = deps.actors.get(id)?.detail
    input.done.resolve({ id, created: true, ...(detail ? { detail } : {}) })
  })
  failed.push((e) => input.done.reject(e))
}

/** Cancels a live pipeline (`PipelineCancelled`); answers false for one that has ended. */
export async function handleCancel(
  deps: RequestDeps,
  tick: Tick,
  input: Input & { kind: 'cancel' },
  settled: Settled,
  failed: Failed,
): Promise<void> {
  const actor = deps.actors.get(input.id)
  if (!actor || actor.snapshot.context.status !== 'active') {
    if (!actor && !deps.pipelines.get(input.id)) throw new BanzaiError('not_found', `no pipeline ${input.id}`)
    input.done.resolve(false)
    return
  }
  await deps.recordEvent(tick, input.id, { type: 'PipelineCancelled', data: { reason: input.reason } })
  settled.push(() => input.done.resolve(true))
  failed.push((e) => input.done.reject(e))
}
