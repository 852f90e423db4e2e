import type { PipelineDetail, PipelineId, PipelineSnapshot } from '../../domain/index.ts'

/** A live pipeline: its machine snapshot and its projection. */
export interface Actor {
  id: PipelineId
  snapshot: PipelineSnapshot
  detail: PipelineDetail | null
  lastSeq: number
  idempotencyKey: string | null
}

/** The live pipelines, by id, oldest first. */
export type Actors = Map<PipelineId, Actor>
