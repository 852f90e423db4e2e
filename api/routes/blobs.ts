import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { type Cid, NotFoundError, type Store } from '../../core/domain/index.ts'
import type { ApiDeps, AppEnv } from '../deps.ts'
import { parseRange } from '../http/byte-range.ts'
import { HttpProblem } from '../http/problem.ts'
import { sniffContentType } from '../http/sniff-content-type.ts'
import { bearer, problems } from '../schemas/common.ts'
import { BlobParams } from '../schemas/pipeline.ts'
import { BlobQuery } from '../schemas/system.ts'

const bytes = { schema: z.string().openapi({ format: 'binary' }) }

const blobRoute = createRoute({
  method: 'get',
  path: '/api/blobs/{cid}',
  tags: ['blobs'],
  summary: 'The bytes of a blob; ETag is the CID, single byte ranges are served',
  security: bearer,
  request: { params: BlobParams, query: BlobQuery },
  responses: {
    200: {
      description: 'The whole blob (type sniffed, or `?type=`)',
      content: { 'application/octet-stream': bytes, 'audio/wav': bytes, 'application/json': bytes },
    },
    206: {
      description: 'One byte range, with Content-Range',
      content: { 'application/octet-stream': bytes },
    },
    304: { description: 'Not modified (If-None-Match names the CID)' },
    ...problems(400, 404, 416),
  },
})

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((tag) => {
    const t = tag.trim()
    return t === '*' || t === etag || t === `W/${etag}`
  })
}

/** A response body that streams a blob; the first chunk is read before answering, so a missing or corrupt blob is still an error status. */
async function openBody(
  store: Store,
  cid: Cid,
  range: { offset: number; length: number },
): Promise<ReadableStream<Uint8Array>> {
  const iterator = store.get(cid, range)[Symbol.asyncIterator]()
  const first = await iterator.next()
  let pending: IteratorResult<Uint8Array> | null = first
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const step = pending ?? (await iterator.next())
      pending = null
      if (step.done) controller.close()
      else controller.enqueue(step.value)
    },
    async cancel() {
      await iterator.return?.()
    },
  })
}

async function readHead(store: Store, cid: Cid, size: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const chunk of store.get(cid, { offset: 0, length: Math.min(16, size) })) parts.push(chunk)
  return Buffer.concat(parts)
}

/** `GET /blobs/:cid`: bytes from the content store, immutable, with ETag and ranges. */
export function registerBlobRoute(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.openapi(blobRoute, async (c) => {
    const { cid } = c.req.valid('param')
    const stat = await deps.store.stat(cid)
    if (!stat) throw new NotFoundError(`no blob ${cid} in the store`)
    const etag = `"${cid}"`
    const headers = new Headers({
      ETag: etag,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Accept-Ranges': 'bytes',
      'X-Content-Type-Options': 'nosniff',
      // Blobs are data, never pages: nothing in them may run as this origin.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    })
    if (matchesEtag(c.req.header('If-None-Match'), etag)) return new Response(null, { status: 304, headers })
    headers.set(
      'Content-Type',
      c.req.valid('query').type ??
        (stat.size > 0
          ? sniffContentType(await readHead(deps.store, cid, stat.size))
          : 'application/octet-stream'),
    )
    const ifRange = c.req.header('If-Range')
    const request =
      ifRange !== undefined && ifRange.trim() !== etag
        ? ({ kind: 'whole' } as const)
        : parseRange(c.req.header('Range'), stat.size)
    if (request.kind === 'unsatisfiable') {
      throw new HttpProblem(
        416,
        'range_not_satisfiable',
        `the blob has ${stat.size} bytes; the range asked for is outside them`,
        [],
        { 'Content-Range': `bytes */${stat.size}` },
      )
    }
    const isHead = c.req.method === 'HEAD'
    if (request.kind === 'range') {
      const { start, end } = request.range
      headers.set('Content-Range', `bytes ${start}-${end}/${stat.size}`)
      headers.set('Content-Length', String(end - start + 1))
      const body = isHead ? null : await openBody(deps.store, cid, { offset: start, length: end - start + 1 })
      return new Response(body, { status: 206, headers })
    }
    headers.set('Content-Length', String(stat.size))
    const body =
      isHead || stat.size === 0 ? null : await openBody(deps.store, cid, { offset: 0, length: stat.size })
    return new Response(body, { status: 200, headers })
  })
}
