import { Show } from 'solid-js'
import { describeError } from '../api/problem.ts'

/** Shows a failed load or action, if any. */
export function ErrorBox(props: { error: unknown }) {
  return (
    <Show when={props.error !== undefined && props.error !== null}>
      <div class="error-box" role="alert">
        {describeError(props.error)}
      </div>
    </Show>
  )
}
