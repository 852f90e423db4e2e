import { request as httpRequest } from 'node:http'

/** A whole HTTP answer, its body read. */
export interface HttpAnswer {
  readonly status: number
  readonly ok: boolean
  readonly bytes: Uint8Array
  /** The body as UTF-8 text. */
  text(): string
}

/** What a request sends. */
export interface HttpRequest {
  method: string
  headers: Record<string, string>
  body?: string
  /** Aborts the whole exchange after this many ms; 0 waits as long as it takes. */
  timeoutMs: number
}

/**
 * One HTTP(S) exchange through node:http, read to the end. The command line uses this rather
 * than fetch: Node loads and compiles its fetch (undici) on first use, which took longer than
 * the rest of a client command's start.
 */
export async function sendHttp(url: string, req: HttpRequest): Promise<HttpAnswer> {
  const target = new URL(url)
  // node:https (TLS, crypto) loads only for an https: monitor.
  const send = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest
  return new Promise((resolve, reject) => {
    const headers =
      req.body === undefined
        ? req.headers
        : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) }
    const outgoing = send(target, { method: req.method, headers }, (incoming) => {
      const chunks: Buffer[] = []
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
      incoming.on('error', reject)
      incoming.on('end', () => {
        clearTimeout(timer)
        const bytes = Buffer.concat(chunks)
        const status = incoming.statusCode ?? 0
        resolve({ status, ok: status >= 200 && status < 300, bytes, text: () => bytes.toString('utf8') })
      })
    })
    const timer =
      req.timeoutMs > 0
        ? setTimeout(() => outgoing.destroy(new Error(`no answer within ${req.timeoutMs} ms`)), req.timeoutMs)
        : undefined
    outgoing.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    outgoing.end(req.body)
  })
}
