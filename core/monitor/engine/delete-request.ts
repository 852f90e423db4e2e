import { BanzaiError, type PipelineId } from '../../domain/index.ts'
import type { PipelineTable } from '../pipeline-table.ts'
import type { Db } from '../sqlite/open-database.ts'
import { deletePipelineRows } from '../pipeline-deletion.ts'
import type { Actors } from './actor.ts'
import { type Clock, isoNow } from './clock.ts'
import type { Settle } from './requests.ts'
import type { Tick } from './tick.ts'

/** What deleting a pipeline uses. */
export interface DeleteDeps {
  db: Db
  actors: Actors
  pipelines: PipelineTable
  clock: Clock
  committedSeq: () => number
}

/**
 * Records `PipelineDeleted` for a finished pipeline and, in the same transaction, removes its
 * rows (lists, memo, task logs; its GC roots at commit). A live pipeline is refused
 * (`conflict`: cancel it first); an unknown or already deleted one is `not_found`.
 */
export function handleDelete(
  deps: DeleteDeps,
  tick: Tick,
  input: { id: PipelineId; reason: string; done: Settle<void> },
  settled: (() => void)[],
  failed: ((error: unknown) => void)[],
): void {
  if (deps.actors.has(input.id))
    throw new BanzaiError('conflict', `pipeline ${input.id} is still running; cancel it before deleting it`)
  const record = deps.pipelines.get(input.id)
  if (!record || tick.events.some((e) => e.type === 'PipelineDeleted' && e.pipelineId === input.id))
    throw new BanzaiError('not_found', `no pipeline ${input.id}`)
  tick.events.push({
    type: 'PipelineDeleted',
    data: { reason: input.reason },
    seq: deps.committedSeq() + tick.events.length + 1,
    pipelineId: input.id,
    pipelineSeq: record.detail.pipelineSeq + 1,
    at: isoNow(deps.clock),
  })
  tick.writes.push(() => deletePipelineRows(deps.db, input.id))
  settled.push(() => input.done.resolve())
  failed.push((error) => input.done.reject(error))
}
