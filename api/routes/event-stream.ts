import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import type { ApiDeps, AppEnv } from '../deps.ts'
import { createEventStream } from '../http/event-stream.ts'
import { HttpProblem } from '../http/problem.ts'
import { createReplayGate } from '../http/replay-gate.ts'
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

/** `GET /events`: the live log as Server-Sent Events. */
export function registerEventStreamRoute(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  const gate = createReplayGate(deps.eventStreamLimits)
  app.openapi(streamRoute, (c) => {
    const lastEventId = c.req.valid('header')['Last-Event-ID']
    const { after } = c.req.valid('query')
    const start = lastEventId !== undefined ? Number(lastEventId) : (after ?? deps.monitor.lastSeq())
    const headers = {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    }
    // HEAD would drop the body unread, and with it the stream's hold on the monitor: open nothing.
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers })
    const release = gate.admit()
    if (!release)
      throw new HttpProblem(
        503,
        'too_many_streams',
        'too many event streams are open; try again shortly',
        [],
        {
          'Retry-After': String(gate.retryAfterSeconds),
        },
      )
    const logger = c.get('logger')
    const body = createEventStream(
      {
        readAfter: (seq, limit) => deps.monitor.readAfter(seq, limit),
        onCommitted: (listener) => deps.monitor.onCommitted(listener),
      },
      {
        after: start,
        heartbeatMs: deps.sseHeartbeatMs ?? 15_000,
        signal: c.req.raw.signal,
        gate,
        onClose: () => {
          release()
          logger.debug({ after: start }, 'event stream closed')
        },
      },
    )
    return new Response(body, { status: 200, headers })
  })
}
