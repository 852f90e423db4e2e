import {
  BanzaiError,
  createPipeline,
  type PipelineId,
  type PipelineSpec,
  type WorkerMessage,
} from '../../domain/index.ts'
import type { EngineContext } from './context.ts'
import type { Tick } from './tick.ts'

/** How a request's caller learns its outcome, once the tick has committed (or failed). */
export interface Settle<T> {
  resolve(value: T): void
  reject(error: unknown): void
}

/** What the engine handles in a tick. */
export type Input =
  | { kind: 'message'; message: WorkerMessage }
  | {
      kind: 'submit'
      spec: PipelineSpec
      idempotencyKey: string | null
      retryOf: string | null
      done: Settle<{ id: string; created: boolean }>
    }
  | { kind: 'cancel'; id: PipelineId; reason: string; done: Settle<boolean> }
  | { kind: 'clock' }

type Settled = (() => void)[]
type Failed = ((error: unknown) => void)[]

/** Records a submission (`PipelineSubmitted`), or finds the pipeline its Idempotency-Key made before. */
export async function handleSubmit(
  ctx: EngineContext,
  newPipelineId: () => string,
  tick: Tick,
  input: Input & { kind: 'submit' },
  settled: Settled,
  failed: Failed,
): Promise<void> {
  if (input.idempotencyKey) {
    const existing =
      ctx.pipelines.findByIdempotencyKey(input.idempotencyKey) ??
      [...ctx.actors.values()].find((a) => a.idempotencyKey === input.idempotencyKey)?.id
    if (existing) {
      settled.push(() => input.done.resolve({ id: existing, created: false }))
      return
    }
  }
  const id = newPipelineId() as PipelineId
  const submitted = { ...input.spec, retryOf: (input.retryOf as PipelineId | null) ?? null }
  const snapshot = createPipeline({ id, submitted, policy: ctx.settings.retry })
  tick.touch(id, undefined)
  ctx.actors.set(id, { id, snapshot, detail: null, lastSeq: 0, idempotencyKey: input.idempotencyKey })
  await ctx.emit(tick, id, { type: 'PipelineSubmitted', data: submitted })
  settled.push(() => input.done.resolve({ id, created: true }))
  failed.push((e) => input.done.reject(e))
}

/** Cancels a live pipeline (`PipelineCancelled`); answers false for one that has ended. */
export async function handleCancel(
  ctx: EngineContext,
  tick: Tick,
  input: Input & { kind: 'cancel' },
  settled: Settled,
  failed: Failed,
): Promise<void> {
  const actor = ctx.actors.get(input.id)
  if (!actor || actor.snapshot.context.status !== 'active') {
    if (!actor && !ctx.pipelines.get(input.id)) throw new BanzaiError('not_found', `no pipeline ${input.id}`)
    input.done.resolve(false)
    return
  }
  await ctx.emit(tick, input.id, { type: 'PipelineCancelled', data: { reason: input.reason } })
  settled.push(() => input.done.resolve(true))
  failed.push((e) => input.done.reject(e))
}
