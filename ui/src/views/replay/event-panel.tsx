import { For } from 'solid-js'
import type { StoredEvent } from '../../../../core/domain/index.ts'
import { formatTime } from '../../format/duration.ts'

/** How many events are listed on each side of the chosen one. */
const CONTEXT = 4

/** The chosen event in full, with its neighbours (click one to go to it). */
export function EventPanel(props: { event: StoredEvent; page: StoredEvent[]; onPick: (at: number) => void }) {
  const neighbours = () => {
    const i = props.page.findIndex((e) => e.pipelineSeq === props.event.pipelineSeq)
    return props.page.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1)
  }
  return (
    <aside class="event-panel" aria-label="Event">
      <h2>
        Event {props.event.pipelineSeq}: <span class="mono event-type">{props.event.type}</span>
      </h2>
      <p class="muted small">
        {formatTime(props.event.at)} · global seq {props.event.seq}
      </p>
      <pre class="event-data">{JSON.stringify(props.event.data, null, 2)}</pre>
      <ol class="event-list">
        <For each={neighbours()}>
          {(e) => (
            <li classList={{ current: e.pipelineSeq === props.event.pipelineSeq }}>
              <button type="button" class="link" onClick={() => props.onPick(e.pipelineSeq)}>
                <span class="muted">{e.pipelineSeq}</span> {e.type}
                {'step' in e.data ? <span class="muted"> step {e.data.step + 1}</span> : null}
              </button>
            </li>
          )}
        </For>
      </ol>
    </aside>
  )
}
