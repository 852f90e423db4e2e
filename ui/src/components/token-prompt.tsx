import { createSignal, Show } from 'solid-js'
import type { AuthGate } from '../api/auth-gate.ts'

/** The modal that asks for the API token when the API answers 401. */
export function TokenPrompt(props: { auth: AuthGate }) {
  const [value, setValue] = createSignal('')
  const submit = (e: SubmitEvent): void => {
    e.preventDefault()
    const token = value().trim()
    if (token) props.auth.answer(token)
  }
  return (
    <Show when={props.auth.prompt()}>
      {(reason) => (
        <div class="modal-backdrop">
          <form class="modal" onSubmit={submit} aria-label="API token">
            <h2>API token</h2>
            <p>
              {reason() === 'rejected'
                ? 'The token was refused. Enter another one.'
                : 'This Banzai API needs a token (BANZAI_TOKEN or BANZAI_READ_TOKEN).'}
            </p>
            <input
              type="password"
              name="token"
              autocomplete="off"
              placeholder="token"
              value={value()}
              onInput={(e) => setValue(e.currentTarget.value)}
              autofocus
            />
            <p class="hint">Kept in this tab's session storage only.</p>
            <div class="actions">
              <button type="button" onClick={() => props.auth.answer(null)}>
                Cancel
              </button>
              <button type="submit" class="primary">
                Use token
              </button>
            </div>
          </form>
        </div>
      )}
    </Show>
  )
}
