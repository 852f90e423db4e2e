import { catalogue } from '../../core/domain/index.ts'
import { type InProcess, type InProcessOptions, startInProcess } from '../../test/harness/in-process.ts'
import { createApi } from '../create-api.ts'
import type { ApiDeps } from '../deps.ts'
import { startApiServer } from '../server.ts'

/** A real API server on 127.0.0.1 over an in-process monitor, for the API's integration tests. */
export interface TestApi {
  url: string
  env: InProcess
  /** `fetch` relative to the server. */
  request(path: string, init?: RequestInit): Promise<Response>
  /** GET (or another method) and parse the JSON answer. */
  json<T = Record<string, unknown>>(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; body: T; headers: Headers }>
  stop(): Promise<void>
}

/** Starts the monitor (in process) and the API over real HTTP; extra deps override the defaults. */
export async function startTestApi(
  options: { inProcess?: InProcessOptions; deps?: Partial<ApiDeps> } = {},
): Promise<TestApi> {
  const env = startInProcess(options.inProcess)
  const app = createApi({
    monitor: env.monitor,
    queries: env.queries,
    store: env.store,
    catalogue,
    transportInfo: () => ({
      reports: 'tcp://127.0.0.1:5555',
      control: 'tcp://127.0.0.1:5556',
      lanes: ['default'],
      curveServerKey: null,
    }),
    ...options.deps,
  })
  const server = await startApiServer(app, { port: 0, host: '127.0.0.1' })
  const request = (path: string, init?: RequestInit) => fetch(server.url + path, init)
  return {
    url: server.url,
    env,
    request,
    async json<T>(path: string, init?: RequestInit) {
      const response = await request(path, init)
      const text = await response.text()
      return {
        status: response.status,
        body: (text ? JSON.parse(text) : null) as T,
        headers: response.headers,
      }
    },
    async stop() {
      await server.close()
      await env.stop()
    },
  }
}

/** A POST of a JSON body. */
export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }
}
