import type { z } from 'zod'
import type { AuthGate } from './auth-gate.ts'
import { ApiError, parseProblem } from './problem.ts'
import type { TokenStore } from './token-store.ts'

/** What the client needs: where the API is, how to fetch, where the token is kept, who asks for it. */
export interface ApiClientDeps {
  /** Prefix of every path, e.g. `/api` (default). */
  base?: string
  fetch?: typeof fetch
  tokens: TokenStore
  auth: AuthGate
}

/** A response body and the headers that came with it. */
export interface ApiResponse<T> {
  body: T
  status: number
  headers: Headers
}

/** The dashboard's door to the REST API (SPEC §7). */
export interface ApiClient {
  /** A JSON answer, parsed by `schema` (a domain schema): what does not fit it throws. */
  get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>>
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<unknown>>
  /** Raw bytes of a path (blobs). */
  bytes(path: string): Promise<ArrayBuffer>
  /** The URL of the live event stream, with `access_token` when a token is kept. */
  eventsUrl(): string
  /** The absolute URL of a path under the API. */
  url(path: string): string
  tokens: TokenStore
}

/** Creates the API client: bearer token on every request, a prompt on 401, problem+json errors. */
export function createApiClient(deps: ApiClientDeps): ApiClient {
  const base = deps.base ?? '/api'
  const doFetch =
    deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init))

  async function send(path: string, init: RequestInit): Promise<Response> {
    let rejectedBefore = false
    for (;;) {
      const token = deps.tokens.get()
      const headers = new Headers(init.headers)
      if (token) headers.set('Authorization', `Bearer ${token}`)
      let response: Response
      try {
        response = await doFetch(base + path, { ...init, headers })
      } catch (error) {
        throw new ApiError({
          type: 'about:blank',
          title: 'Network error',
          status: 0,
          detail: error instanceof Error ? error.message : String(error),
          errors: [],
        })
      }
      if (response.status !== 401) {
        if (response.ok) return response
        throw new ApiError(parseProblem(response.status, response.statusText, await response.text()))
      }
      const problem = parseProblem(401, response.statusText, await response.text())
      const next = await deps.auth.requestToken(token || rejectedBefore ? 'rejected' : 'required')
      if (next === null) throw new ApiError(problem)
      deps.tokens.set(next)
      rejectedBefore = true
    }
  }

  async function readJson(response: Response): Promise<unknown> {
    const text = await response.text()
    return text ? JSON.parse(text) : null
  }

  return {
    tokens: deps.tokens,
    async get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
      return schema.parse(
        await readJson(await send(path, { method: 'GET', headers: { Accept: 'application/json' } })),
      )
    },
    async post(path: string, body?: unknown, headers: Record<string, string> = {}) {
      const init: RequestInit = { method: 'POST', headers: { Accept: 'application/json', ...headers } }
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body)
        init.headers = { ...headers, Accept: 'application/json', 'Content-Type': 'application/json' }
      }
      const response = await send(path, init)
      return { body: await readJson(response), status: response.status, headers: response.headers }
    },
    async bytes(path: string) {
      return (await send(path, { method: 'GET' })).arrayBuffer()
    },
    eventsUrl() {
      const token = deps.tokens.get()
      return token ? `${base}/events?access_token=${encodeURIComponent(token)}` : `${base}/events`
    },
    url: (path: string) => base + path,
  }
}
