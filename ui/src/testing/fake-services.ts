import type { StoredEvent } from '../../../core/domain/index.ts'
import type { AppServices } from '../app-context.ts'
import { createAuthGate } from '../api/auth-gate.ts'
import { createApiClient } from '../api/client.ts'
import type { TokenStore } from '../api/token-store.ts'
import type { EventStream } from '../live/event-stream.ts'

/** A canned answer of the fake API: a JSON body (status 200), a Response, or a function of the request returning either. */
export type Route = unknown

/** Services over a fake `fetch` (routes by `METHOD /path?query`, or by path alone for GET) and a hand-fed event stream. */
export interface FakeServices {
  services: AppServices
  /** Requests made, as `METHOD /path?query`. */
  requests: string[]
  /** Delivers a live event, as the SSE stream would. */
  emit(event: StoredEvent): void
}

/** Builds the services of a component test. */
export function createFakeServices(routes: Record<string, Route>): FakeServices {
  const requests: string[] = []
  const listeners = new Set<(event: StoredEvent) => void>()
  let token: string | null = null
  const tokens: TokenStore = { get: () => token, set: (t) => (token = t) }
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = (input instanceof Request ? input.url : input.toString()).replace(/^\/api/, '')
    const method = init?.method ?? 'GET'
    requests.push(`${method} ${url}`)
    const route =
      routes[`${method} ${url}`] ??
      (method === 'GET' ? (routes[url] ?? routes[url.split('?')[0] ?? '']) : undefined)
    if (route === undefined)
      return new Response(JSON.stringify({ title: 'Not Found', status: 404, detail: `no route ${url}` }), {
        status: 404,
      })
    const body = typeof init?.body === 'string' ? init.body : null
    const answer: unknown =
      typeof route === 'function'
        ? (route as (r: { url: string; method: string; body: string | null }) => unknown)({
            url,
            method,
            body,
          })
        : route
    if (answer instanceof Response) return answer
    if (answer instanceof ArrayBuffer) return new Response(answer)
    return new Response(JSON.stringify(answer), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    })
  }
  const auth = createAuthGate()
  const api = createApiClient({ tokens, auth, fetch: fakeFetch })
  const events: EventStream = {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    state: () => 'open',
    reconnect: () => {},
    close: () => {},
  }
  return {
    services: { api, events, auth },
    requests,
    emit: (event) => {
      for (const listener of listeners) listener(event)
    },
  }
}
