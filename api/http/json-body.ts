import type { IncomingMessage } from 'node:http'
import type { HonoRequest } from 'hono'
import { HttpProblem } from './problem.ts'

const JSON_MEDIA_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i

/** Whether a `Content-Type` names JSON (`application/json`, `application/*+json`, with parameters). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return JSON_MEDIA_TYPE.test(contentType ?? '')
}

/** Whether node's parsed headers announce a JSON body. */
export function isJsonRequest(incoming: IncomingMessage): boolean {
  return isJsonMediaType(incoming.headers['content-type'])
}

/** The 413 of a body over `limit`; the unread rest makes the connection unusable, so it closes. */
export function tooLarge(limit: number): HttpProblem {
  return new HttpProblem(413, 'payload_too_large', `the request body is larger than ${limit} bytes`, [], {
    Connection: 'close',
  })
}

/**
 * Reads a request's body from node's IncomingMessage, at most `limit` bytes (a larger
 * `Content-Length` is refused before reading). Hand-written rather than Hono's `bodyLimit`
 * and `c.req.json()`: those go through a web `Request` (with its AbortSignal, Headers and a
 * ReadableStream over the socket), which the profile of a burst of submissions showed to be a
 * large part of each POST's cost. Rejects with the 413, or a 400 when the body cannot be read.
 */
export async function readIncomingBody(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(incoming.headers['content-length'] ?? Number.NaN)
  if (declared > limit) throw tooLarge(limit)
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > limit) throw tooLarge(limit)
      chunks.push(chunk)
    }
  } catch (error) {
    if (error instanceof HttpProblem) throw error
    // The client went away mid-body (or sent a broken chunked encoding): its fault, not a bug.
    throw new HttpProblem(400, 'bad_body', `the request body could not be read: ${String(error)}`)
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)
}

/**
 * Hands a body already read to Hono's request, as its body cache: `c.req.text()` and
 * `c.req.json()` (which parses the cached text: so every JSON validator) answer from it without
 * building a web `Request`; other body types are made from the text by Hono.
 */
export function preloadBody(req: HonoRequest, body: Buffer): void {
  let text = body.toString('utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1) // a BOM, as the fetch spec's JSON reading drops it
  // Hono keeps promises in its body cache, though its type names the values.
  ;(req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text)
}

/** Whether the body was read through Hono (preloaded here, or by `c.req.json()` and the like). */
export function isBodyRead(req: HonoRequest): boolean {
  return Object.keys(req.bodyCache).length > 0
}
