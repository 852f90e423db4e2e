import { createResource, For, onCleanup, Show } from 'solid-js'
import { LogPage } from '../../../../core/domain/index.ts'
import { useServices } from '../../app-context.ts'
import { ErrorBox } from '../../components/error-box.tsx'
import { formatTime } from '../../format/duration.ts'
import { settled } from '../../api/settled.ts'

/** How often the logs of a running task are read again, ms. */
const POLL_MS = 2000

/** The log lines of one step (GET /api/pipelines/:id/tasks/:step/logs), polled while it runs. */
export function TaskLogs(props: { pipelineId: string; step: number; isRunning: boolean }) {
  const { api } = useServices()
  const [page, { refetch }] = createResource(
    () => ({ id: props.pipelineId, step: props.step }),
    (q) => api.get(`/pipelines/${encodeURIComponent(q.id)}/tasks/${q.step}/logs?limit=1000`, LogPage),
  )
  const timer = setInterval(() => {
    if (props.isRunning) void refetch()
  }, POLL_MS)
  onCleanup(() => clearInterval(timer))
  return (
    <div class="logs">
      <ErrorBox error={page.error as unknown} />
      <Show when={settled(page)} fallback={<p class="muted">Loading logs…</p>}>
        {(p) => (
          <Show when={p().lines.length > 0} fallback={<p class="muted">No log lines.</p>}>
            <pre class="log-lines">
              <For each={p().lines}>
                {(line) => (
                  <div class={`log-line level-${line.level}`}>
                    <span class="muted">{formatTime(line.at)}</span> <span class="level">{line.level}</span>{' '}
                    <span class="muted">
                      #{line.shard}/{line.attempt}
                    </span>{' '}
                    {line.msg}
                  </div>
                )}
              </For>
            </pre>
          </Show>
        )}
      </Show>
    </div>
  )
}
