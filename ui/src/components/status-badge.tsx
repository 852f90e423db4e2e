import type { PipelineStatus, TaskStatus } from '../../../core/domain/index.ts'

/** A coloured label for a pipeline or task status. */
export function StatusBadge(props: { status: PipelineStatus | TaskStatus }) {
  return (
    <span class={`badge status-${props.status}`} data-status={props.status}>
      {props.status}
    </span>
  )
}
