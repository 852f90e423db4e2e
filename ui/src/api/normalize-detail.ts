import type { PipelineDetail } from '../../../core/domain/index.ts'

/**
 * Fills the fields a server may leave out of a detail (per-shard `units`, `joined`,
 * `cachedFrom`, `labels`), so that `evolveDetail` can work on it.
 */
export function normalizeDetail(detail: PipelineDetail): PipelineDetail {
  const partial = detail as Partial<PipelineDetail> & Pick<PipelineDetail, 'tasks'>
  return {
    ...detail,
    labels: partial.labels ?? {},
    output: partial.output ?? null,
    error: partial.error ?? null,
    tasks: detail.tasks.map((t) => {
      const task = t as Partial<typeof t> & typeof t
      return {
        ...t,
        units: task.units ?? [],
        joined: task.joined ?? null,
        cachedFrom: task.cachedFrom ?? null,
      }
    }),
  }
}
