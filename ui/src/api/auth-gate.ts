import { createSignal, type Accessor } from 'solid-js'

/** Why the token prompt is open: first ask, or the token just given was refused. */
export type TokenPromptReason = 'required' | 'rejected'

/**
 * Connects the API client, which learns that a token is needed (a 401), to the prompt the user
 * answers. Concurrent 401s share one prompt.
 */
export interface AuthGate {
  /** The open prompt's reason, or null when no prompt is open. */
  prompt: Accessor<TokenPromptReason | null>
  /** Opens the prompt (or joins the open one); resolves with the token, or null if dismissed. */
  requestToken(reason: TokenPromptReason): Promise<string | null>
  /** Answers the open prompt. */
  answer(token: string | null): void
}

/** Creates the page's auth gate; `onToken` hears each token given (e.g. to reconnect the live stream). */
export function createAuthGate(onToken: (token: string) => void = () => {}): AuthGate {
  const [prompt, setPrompt] = createSignal<TokenPromptReason | null>(null)
  let waiting: ((token: string | null) => void)[] = []
  return {
    prompt,
    requestToken(reason) {
      setPrompt(reason)
      return new Promise((resolve) => waiting.push(resolve))
    },
    answer(token) {
      const resolvers = waiting
      waiting = []
      setPrompt(null)
      for (const resolve of resolvers) resolve(token)
      if (token !== null) onToken(token)
    },
  }
}
