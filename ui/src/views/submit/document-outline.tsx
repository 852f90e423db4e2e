import { For, Index, Show } from 'solid-js'
import type { FieldProblem } from '../../api/problem.ts'
import type { TaskInfo } from '../../../../core/domain/index.ts'
import type { PlacedErrors } from './field-errors.ts'
import type { DraftTask } from './pipeline-document.ts'

function FieldErrors(props: { errors: FieldProblem[] }) {
  return (
    <For each={props.errors}>
      {(e) => (
        <span class="field-error" role="alert" data-path={e.path}>
          {e.message}
        </span>
      )}
    </For>
  )
}

/** The document as the API will read it: each task and argument, with its errors right beside it. */
export function DocumentOutline(props: { tasks: DraftTask[]; errors: PlacedErrors; catalogue: TaskInfo[] }) {
  const argName = (call: unknown, i: number): string => {
    const decl = props.catalogue.find((t) => t.name === call)
    const arg = decl?.args[i] ?? decl?.args.find((a) => a.rest)
    return arg?.name ?? `arg ${i}`
  }
  return (
    <ol class="outline">
      <Index each={props.tasks}>
        {(task, i) => (
          <li class="outline-task" classList={{ invalid: props.errors.task(i).length > 0 }} data-task={i}>
            <div class="outline-call">
              <span class="muted">tasks[{i}]</span>{' '}
              <span class="mono">
                {typeof task().call === 'string' ? (task().call as string) : JSON.stringify(task().call)}
              </span>
              <Show when={typeof task().id === 'string'}>
                <span class="mono muted outline-id"> {String(task().id)}</span>
              </Show>
              <Show when={Array.isArray(task().inputs)}>
                <span class="muted outline-inputs">
                  {' ← '}
                  {(task().inputs as unknown[])
                    .map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
                    .join(', ') || 'none (a source)'}
                </span>
              </Show>
              <FieldErrors errors={props.errors.task(i)} />
            </div>
            <Show when={task().args.length > 0}>
              <ul class="outline-args">
                <Index each={task().args}>
                  {(arg, j) => (
                    <li classList={{ invalid: props.errors.arg(i, j).length > 0 }} data-arg={`${i}.${j}`}>
                      <span class="muted">{argName(task().call, j)}</span>{' '}
                      <span class="mono">{JSON.stringify(arg())}</span>
                      <FieldErrors errors={props.errors.arg(i, j)} />
                    </li>
                  )}
                </Index>
              </ul>
            </Show>
          </li>
        )}
      </Index>
    </ol>
  )
}

export { FieldErrors }
