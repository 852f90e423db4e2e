import { For, Show } from 'solid-js'
import type { TaskInfo } from '../../../../core/domain/index.ts'

/** The task catalogue (GET /api/tasks) beside the editor: what each task does and takes. */
export function CataloguePanel(props: { tasks: TaskInfo[]; onAdd: (task: TaskInfo) => void }) {
  return (
    <aside class="catalogue" aria-label="Task catalogue">
      <h2>Tasks</h2>
      <For each={props.tasks} fallback={<p class="muted">Loading the catalogue…</p>}>
        {(task) => (
          <details class="catalogue-task" data-task={task.name}>
            <summary>
              <span class="mono">{task.name}</span>
              <span class="muted small"> v{task.version}</span>
              <Show when={task.perItem}>
                <span class="badge small">per item</span>
              </Show>
            </summary>
            <p>{task.doc}</p>
            <ol class="arg-docs">
              <For each={task.args}>
                {(arg) => (
                  <li>
                    <span class="mono">
                      {arg.rest ? '...' : ''}
                      {arg.name}
                    </span>
                    {arg.optional ? <span class="muted"> (optional)</span> : null}: {arg.doc}
                  </li>
                )}
              </For>
            </ol>
            <p class="muted small">
              lane {task.lane} · timeout {Math.round(task.timeoutMs / 1000)} s
            </p>
            <button type="button" onClick={() => props.onAdd(task)}>
              Add {task.name}
            </button>
          </details>
        )}
      </For>
    </aside>
  )
}
