import type { StoredEvent } from '../events.ts'
import { evolveDetail } from './detail.ts'
import type { PipelineDetail } from './view.ts'

/** Folds a pipeline's events, in order, into its detail (from `start`, or from scratch). */
export function replayDetail(
  events: Iterable<StoredEvent>,
  start: PipelineDetail | null = null,
): PipelineDetail | null {
  let detail = start
  for (const event of events) detail = evolveDetail(detail, event)
  return detail
}
