import { createEffect, createSignal, Index, on, onCleanup, Show } from 'solid-js'
import { EventPage } from '../../../../core/domain/index.ts'
import { useServices } from '../../app-context.ts'
import { ServedDetail } from '../../api/served-detail.ts'
import { ErrorBox } from '../../components/error-box.tsx'
import { linkTo } from '../../router.ts'
import { openStep } from '../pipeline/open-step.ts'
import { PipelineGraph } from '../pipeline/pipeline-graph.tsx'
import { PipelineHeader } from '../pipeline/pipeline-header.tsx'
import { TaskCard } from '../pipeline/task-card.tsx'
import { EventPanel } from './event-panel.tsx'
import { ReplayControls } from './replay-controls.tsx'
import { ReplaySource, type ReplayFrame } from './replay-source.ts'

/** Writes `?at=N` into the address without a hashchange, so the view is not rebuilt. */
function rememberPosition(id: string, at: number): void {
  history.replaceState(null, '', linkTo({ view: 'replay', id, at }))
}

/** A run step by step: a slider over its events and the pipeline as it was after the chosen one. */
export function ReplayView(props: { id: string; at: number | null }) {
  const { api, events } = useServices()
  const base = `/pipelines/${encodeURIComponent(props.id)}`
  const source = new ReplaySource({
    events: (after, limit) => api.get(`${base}/events?after=${after}&limit=${limit}`, EventPage),
    stateAt: (at) => api.get(`${base}/state?at=${at}`, ServedDetail),
  })
  const [total, setTotal] = createSignal(0)
  const [at, setAt] = createSignal(0)
  const [frame, setFrame] = createSignal<ReplayFrame | null>(null)
  const [error, setError] = createSignal<unknown>(null)
  const [selected, setSelected] = createSignal<number | null>(null)

  void api.get(base, ServedDetail).then(
    (d) => {
      setTotal(d.pipelineSeq)
      setAt(Math.min(props.at ?? d.pipelineSeq, d.pipelineSeq))
    },
    (e: unknown) => setError(e),
  )
  // A live run grows; a slider left at the end follows it.
  onCleanup(
    events.subscribe((event) => {
      if (event.pipelineId !== props.id || event.pipelineSeq <= total()) return
      const following = at() === total()
      setTotal(event.pipelineSeq)
      if (following) setAt(event.pipelineSeq)
    }),
  )

  // Latest wins: a fast drag issues many frames; only the one for the current position is shown.
  let wanted = 0
  createEffect(
    on(at, (n) => {
      if (n < 1) return
      wanted = n
      rememberPosition(props.id, n)
      source.frame(n).then(
        (f) => {
          if (f.at !== wanted) return
          setFrame(f)
          setError(null)
        },
        (e: unknown) => {
          if (n === wanted) setError(e)
        },
      )
    }),
  )

  return (
    <section class="view replay">
      <header class="view-header">
        <h1>Replay</h1>
        <a href={linkTo({ view: 'pipeline', id: props.id })}>← live page</a>
      </header>
      <ErrorBox error={error()} />
      <Show when={total() > 0}>
        <ReplayControls at={at()} total={total()} onChange={setAt} />
      </Show>
      <Show when={frame()}>
        {(f) => (
          <div class="replay-body">
            <div class="replay-state" data-at={f().at}>
              <PipelineHeader detail={f().detail} now={Date.parse(f().event.at)} />
              <PipelineGraph
                tasks={f().detail.tasks}
                selected={selected()}
                onSelect={(step) => openStep(step, setSelected)}
              />
              <div class="tasks">
                <Index each={f().detail.tasks}>
                  {(task) => (
                    <TaskCard
                      task={task()}
                      pipelineId={props.id}
                      now={Date.parse(f().event.at)}
                      isLive={false}
                      isSelected={selected() === task().index}
                      tasks={f().detail.tasks}
                    />
                  )}
                </Index>
              </div>
            </div>
            <EventPanel event={f().event} page={f().page} onPick={setAt} />
          </div>
        )}
      </Show>
    </section>
  )
}
