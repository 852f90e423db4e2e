import { For, Show } from 'solid-js'
import { isEnded, type PipelineDetail } from '../../../../core/domain/index.ts'
import { StatusBadge } from '../../components/status-badge.tsx'
import { formatDuration, formatTime, spanMs } from '../../format/duration.ts'
import { linkTo } from '../../router.ts'

/** The facts of a pipeline above its tasks (shared by the live page and the replay). */
export function PipelineHeader(props: { detail: PipelineDetail; now: number }) {
  const d = () => props.detail
  const duration = () => spanMs(d().createdAt, isEnded(d().status) ? d().updatedAt : null, props.now)
  return (
    <div class="pipeline-header">
      <div class="title-row">
        <h1>{d().name || d().id}</h1>
        <StatusBadge status={d().status} />
      </div>
      <dl class="facts">
        <div>
          <dt>Id</dt>
          <dd class="mono">{d().id}</dd>
        </div>
        <div>
          <dt>Submitted</dt>
          <dd>{formatTime(d().createdAt)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(duration() ?? NaN)}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{d().pipelineSeq}</dd>
        </div>
        <div>
          <dt>Cache</dt>
          <dd>{d().cache ? 'on' : 'off'}</dd>
        </div>
        <Show when={d().retryOf}>
          {(of) => (
            <div>
              <dt>Retry of</dt>
              <dd>
                <a class="mono" href={linkTo({ view: 'pipeline', id: of() })}>
                  {of()}
                </a>
              </dd>
            </div>
          )}
        </Show>
        <For each={Object.entries(d().labels)}>
          {([key, value]) => (
            <div>
              <dt>{key}</dt>
              <dd>{value}</dd>
            </div>
          )}
        </For>
      </dl>
      <Show when={d().error}>
        {(error) => (
          <pre class="task-error" role="alert">
            {error()}
          </pre>
        )}
      </Show>
    </div>
  )
}
