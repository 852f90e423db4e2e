import type { PipelineDetail, PipelineSummary } from './view.ts'

/** The list row of a pipeline, derived from its detail. */
export function summarize(detail: PipelineDetail): PipelineSummary {
  const steps = detail.tasks.length
  const current = detail.tasks.find((t) => t.status !== 'succeeded')
  const step = current ? current.index : Math.max(0, steps - 1)
  const done = detail.tasks.filter((t) => t.status === 'succeeded').length
  let fraction = 0
  if (current && current.progress && current.progress.total > 0)
    fraction = Math.min(1, current.progress.done / current.progress.total)
  const progress =
    detail.status === 'succeeded'
      ? 1
      : steps === 0
        ? 0
        : (done + (current?.status === 'running' ? fraction : 0)) / steps
  return {
    id: detail.id,
    name: detail.name,
    status: detail.status,
    step,
    steps,
    progress: Math.round(progress * 1000) / 1000,
    createdAt: detail.createdAt,
    updatedAt: detail.updatedAt,
  }
}
