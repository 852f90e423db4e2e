import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import type { Hono } from 'hono'
import type { AppEnv } from './deps.ts'

/** A listening API server. */
export interface ApiServer {
  /** `http://host:port`, with the real port when 0 was asked for. */
  url: string
  /** Stops listening and ends open connections (SSE streams included). */
  close(): Promise<void>
}

/** Serves an app on `host:port` (port 0 picks a free one); resolves once it listens. */
export function startApiServer(
  app: Pick<Hono<AppEnv>, 'fetch'>,
  options: { port: number; host: string },
): Promise<ApiServer> {
  return new Promise((resolve, reject) => {
    const server = createAdaptorServer({ fetch: app.fetch }) as Server
    server.once('error', reject)
    server.once('listening', () => {
      server.off('error', reject)
      const { port } = server.address() as AddressInfo
      const host = options.host.includes(':') ? `[${options.host}]` : options.host
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            server.closeAllConnections()
          }),
      })
    })
    // A deep accept queue: bursts of connections (a thousand clients at once) wait instead of being reset.
    server.listen({ port: options.port, host: options.host, backlog: 4096 })
  })
}
