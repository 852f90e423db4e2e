import { z } from 'zod'
import { PipelineDetail, TaskDetail } from '../../../core/domain/index.ts'

/** A task of a served detail: the domain's, with the fields a server may leave out filled in. */
const ServedTask = TaskDetail.extend({
  units: TaskDetail.shape.units.default([]),
  joined: TaskDetail.shape.joined.default(null),
  cachedFrom: TaskDetail.shape.cachedFrom.default(null),
})

/**
 * `GET /pipelines/:id` (and `/state?at=N`) as the dashboard reads it: the domain's
 * `PipelineDetail`, with the fields a server may leave out (per-shard `units`, `joined`,
 * `cachedFrom`, `labels`) defaulted, so that `evolveDetail` can work on it.
 */
export const ServedDetail = PipelineDetail.extend({
  labels: PipelineDetail.shape.labels.default({}),
  output: PipelineDetail.shape.output.default(null),
  error: PipelineDetail.shape.error.default(null),
  tasks: z.array(ServedTask),
})
