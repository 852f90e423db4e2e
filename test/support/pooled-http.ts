import { Agent, request } from 'node:http'

/** An HTTP client over a bounded pool of keep-alive connections, as a load generator or a proxy has. */
export interface PooledHttp {
  /** POSTs a JSON body; resolves with the status and the parsed answer. */
  postJson<T>(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; headers: Record<string, string | string[] | undefined> }>
  close(): void
}

/**
 * Creates a client for `baseUrl` that carries any number of concurrent requests over at most
 * `maxSockets` connections (Node's fetch opens one connection per request in flight, so 1,000
 * requests at once would be 1,000 simultaneous connects).
 */
export function createPooledHttp(baseUrl: string, maxSockets: number): PooledHttp {
  const agent = new Agent({ keepAlive: true, maxSockets })
  return {
    postJson<T>(path: string, body: unknown, headers: Record<string, string> = {}) {
      const payload = JSON.stringify(body)
      return new Promise<{ status: number; body: T; headers: Record<string, string | string[] | undefined> }>(
        (resolve, reject) => {
          const req = request(
            new URL(path, baseUrl),
            {
              method: 'POST',
              agent,
              headers: {
                'Content-Type': 'application/json',
                'Content-Length': Buffer.byteLength(payload),
                ...headers,
              },
            },
            (res) => {
              const chunks: Buffer[] = []
              res.on('data', (chunk: Buffer) => chunks.push(chunk))
              res.on('error', reject)
              res.on('end', () => {
                const text = Buffer.concat(chunks).toString('utf8')
                resolve({
                  status: res.statusCode ?? 0,
                  body: (text ? JSON.parse(text) : null) as T,
                  headers: res.headers,
                })
              })
            },
          )
          req.on('error', reject)
          req.end(payload)
        },
      )
    },
    close: () => agent.destroy(),
  }
}
