import { createSignal, Index, Show } from 'solid-js'
import { useServices } from '../../app-context.ts'
import { readCreatedId } from '../../api/created-id.ts'
import { ErrorBox } from '../../components/error-box.tsx'
import { estimateRemainingMs } from '../../format/eta.ts'
import { createClock } from '../../live/clock.ts'
import { createLiveDetail } from '../../live/live-detail.ts'
import { linkTo, navigate } from '../../router.ts'
import { openStep } from './open-step.ts'
import { PipelineGraph } from './pipeline-graph.tsx'
import { PipelineHeader } from './pipeline-header.tsx'
import { TaskCard } from './task-card.tsx'

/** One pipeline, live: its tasks, actions (cancel, retry) and the way to its replay. */
export function PipelinePage(props: { id: string }) {
  const { api, events } = useServices()
  const now = createClock()
  const live = createLiveDetail(props.id, api, events)
  const [actionError, setActionError] = createSignal<unknown>(null)
  const [busy, setBusy] = createSignal(false)
  const [selected, setSelected] = createSignal<number | null>(null)
  const isActive = () => {
    const status = live.detail()?.status
    return status === 'queued' || status === 'running'
  }
  const path = () => `/pipelines/${encodeURIComponent(props.id)}`

  async function act(kind: 'cancel' | 'retry'): Promise<void> {
    setBusy(true)
    setActionError(null)
    try {
      const response = await api.post(`${path()}/${kind}`)
      if (kind === 'retry') {
        const id = readCreatedId(response.body, response.headers)
        if (id) navigate({ view: 'pipeline', id })
      } else await live.reload()
    } catch (e) {
      setActionError(e)
    } finally {
      setBusy(false)
    }
  }

  const eta = (step: number, total: number | undefined, startedAt: string | null): number | null =>
    total === undefined
      ? null
      : estimateRemainingMs(
          live.samples().get(step) ?? [],
          total,
          startedAt ? Date.parse(startedAt) : null,
          now(),
        )

  return (
    <section class="view">
      <ErrorBox error={live.error()} />
      <Show when={live.detail()} fallback={<p class="muted">{live.error() ? '' : 'Loading…'}</p>}>
        {(detail) => (
          <>
            <PipelineHeader detail={detail()} now={now()} />
            <div class="actions">
              <a class="button" href={linkTo({ view: 'replay', id: props.id, at: null })}>
                Replay
              </a>
              <button type="button" disabled={!isActive() || busy()} onClick={() => void act('cancel')}>
                Cancel
              </button>
              <button type="button" disabled={isActive() || busy()} onClick={() => void act('retry')}>
                Retry
              </button>
            </div>
            <ErrorBox error={actionError()} />
            <PipelineGraph
              tasks={detail().tasks}
              selected={selected()}
              onSelect={(step) => openStep(step, setSelected)}
            />
            <div class="tasks">
              {/* Index, not For: tasks are new objects after every event, and a card keeps its open logs. */}
              <Index each={detail().tasks}>
                {(task) => (
                  <TaskCard
                    task={task()}
                    pipelineId={props.id}
                    now={now()}
                    isLive
                    isSelected={selected() === task().index}
                    tasks={detail().tasks}
                    etaMs={eta(task().index, task().progress?.total, task().startedAt)}
                  />
                )}
              </Index>
            </div>
          </>
        )}
      </Show>
    </section>
  )
}
