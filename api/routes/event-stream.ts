import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import { BanzaiError } from '../../core/domain/index.ts'
import type { ApiDeps, AppEnv } from '../deps.ts'
import { pipeEventStream } from '../http/event-stream.ts'
import { HttpProblem } from '../http/problem.ts'
import { createReplayGate } from '../http/replay-gate.ts'
import { createSsePages } from '../http/sse-pages.ts'
import { bearer, problems } from '../schemas/common.ts'
import { StreamHeaders, StreamQuery } from '../schemas/system.ts'

const streamRoute = createRoute({
  method: 'get',
  path: '/api/events',
  tags: ['history'],
  summary:
    'Server-Sent Events of the global log: `id:` is the global seq, `event:` the type, `data:` the stored event',
  description:
    'Resumes after `Last-Event-ID` (or `?after=`) without gap or duplicate; without either, starts from the latest event. ' +
    'Comments (`: ping`) keep the connection alive. Also takes `?access_token=`.',
  security: bearer,
  request: { query: StreamQuery, headers: StreamHeaders },
  responses: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...problems(400, 503),
  },
})

const HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
}

/**
 * `GET /events`: the live log as Server-Sent Events. Hono routes, authenticates and validates the
 * request; the stream itself is written straight to node's response, one `write` per page of
 * frames shared by every stream (sse-pages.ts), with no web stream in between.
 */
export function registerEventStreamRoute(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  const gate = createReplayGate(deps.eventStreamLimits)
  const pages = createSsePages(
    { readAfter: (seq, limit) => deps.monitor.readAfter(seq, limit), lastSeq: () => deps.monitor.lastSeq() },
    { pageSize: gate.pageSize },
  )
  app.openapi(streamRoute, (c) => {
    const lastEventId = c.req.valid('header')['Last-Event-ID']
    const { after } = c.req.valid('query')
    const start = lastEventId !== undefined ? Number(lastEventId) : (after ?? deps.monitor.lastSeq())
    // HEAD would drop the body unread, and with it the stream's hold on the monitor: open nothing.
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers: HEADERS })
    const outgoing = c.env?.outgoing
    if (!outgoing) throw new BanzaiError('bug', 'the event stream needs node:http (@hono/node-server)')
    const release = gate.admit()
    if (!release)
      throw new HttpProblem(
        503,
        'too_many_streams',
        'too many event streams are open; try again shortly',
        [],
        { 'Retry-After': String(gate.retryAfterSeconds) },
      )
    const logger = c.get('logger')
    // Not flushed: the headers leave with the stream's first write (event-stream.ts).
    outgoing.writeHead(200, { ...HEADERS, 'X-Request-Id': c.get('requestId') })
    pipeEventStream({ onCommitted: (listener) => deps.monitor.onCommitted(listener) }, outgoing, {
      after: start,
      heartbeatMs: deps.sseHeartbeatMs ?? 15_000,
      gate,
      pages,
      onClose: () => {
        release()
        logger.debug({ after: start }, 'event stream closed')
      },
    }).catch((error: unknown) => {
      logger.error({ err: error }, 'event stream failed')
      outgoing.destroy()
    })
    // Headers and body are node's own now: Hono sends nothing more.
    return new Response(null, { headers: RESPONSE_ALREADY_SENT.headers })
  })
}
