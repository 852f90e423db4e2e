import type { ServerResponse } from 'node:http'
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import { BanzaiError } from '../../core/domain/index.ts'
import type { ApiAuth, ApiDeps, AppEnv } from '../deps.ts'
import { checkToken } from '../http/auth.ts'
import { pipeEventStream } from '../http/event-stream.ts'
import { HttpProblem } from '../http/problem.ts'
import { createReplayGate } from '../http/replay-gate.ts'
import { headerOf, logAnswered, requestIdOf } from '../http/request-log.ts'
import { createSsePages } from '../http/sse-pages.ts'
import { bearer, problems } from '../schemas/common.ts'
import { StreamHeaders, StreamQuery } from '../schemas/system.ts'

const PATH = '/api/events'

const streamRoute = createRoute({
  method: 'get',
  path: PATH,
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

/** The event streams of one API: admission, turns at the log, and the pages they share. */
export interface EventStreams {
  /**
   * Opens a stream of the events after `start` on node's response, or returns false when the
   * cap of streams is reached. The stream's headers are set in its first turn at the gate and
   * leave with its first write (event-stream.ts).
   */
  open(outgoing: ServerResponse, start: number, requestId: string, logger: Logger): boolean
  /** Where a stream starts without `Last-Event-ID` or `?after=`: the latest event. */
  latest(): number
  readonly retryAfterSeconds: number
}

/** The streams of SPEC §10 behind `GET /api/events`: one gate and one page cache per API. */
export function createEventStreams(deps: ApiDeps): EventStreams {
  const gate = createReplayGate(deps.eventStreamLimits)
  const pages = createSsePages(
    { readAfter: (seq, limit) => deps.monitor.readAfter(seq, limit), lastSeq: () => deps.monitor.lastSeq() },
    { pageSize: gate.pageSize },
  )
  return {
    retryAfterSeconds: gate.retryAfterSeconds,
    latest: () => deps.monitor.lastSeq(),
    open(outgoing, start, requestId, logger) {
      const release = gate.admit()
      if (!release) return false
      pipeEventStream({ onCommitted: (listener) => deps.monitor.onCommitted(listener) }, outgoing, {
        after: start,
        // In the stream's first turn, not here: a burst of clients pays for it a few at a time.
        writeHead: () => outgoing.writeHead(200, { ...HEADERS, 'X-Request-Id': requestId }),
        heartbeatMs: deps.sseHeartbeatMs ?? 15_000,
        gate,
        pages,
        onClose: () => {
          release()
          logger.debug({ reqId: requestId, after: start }, 'event stream closed')
        },
      }).catch((error: unknown) => {
        logger.error({ err: error, reqId: requestId }, 'event stream failed')
        outgoing.destroy()
      })
      return true
    },
  }
}

/** Tells node-server that the response is node's own now: Hono sends nothing more (a copy, for the chain to mark). */
function alreadySent(): Response {
  return new Response(null, { headers: RESPONSE_ALREADY_SENT.headers })
}

/** The start of a stream from node's own request, or null when the parameters do not validate. */
function startOf(streams: EventStreams, url: string, lastEventId: string | undefined) {
  const query: Record<string, string> = {}
  const at = url.indexOf('?')
  for (const [key, value] of new URLSearchParams(at < 0 ? '' : url.slice(at + 1))) {
    if (key in query) return null // repeated: the validating route answers it
    query[key] = value
  }
  const parsedQuery = StreamQuery.safeParse(query)
  const parsedHeaders = StreamHeaders.safeParse({ 'Last-Event-ID': lastEventId })
  if (!parsedQuery.success || !parsedHeaders.success) return null
  const id = parsedHeaders.data['Last-Event-ID']
  const start = id !== undefined ? Number(id) : (parsedQuery.data.after ?? streams.latest())
  return { start, accessToken: parsedQuery.data.access_token }
}

/**
 * The way in of a flood (issue 15): a well-formed, authorized `GET /api/events` that the cap
 * admits is answered before the middleware chain (request log, metrics, auth, body limit and the
 * route's validators cost a thousand clients arriving at once tens of ms of one loop turn). It
 * checks the same schemas and tokens; anything else (HEAD, a bad parameter, a missing token, the
 * cap reached) goes on to the chain and the route, which answer it as every other route does.
 * Register it before every other middleware.
 */
export function useEventStreamFastPath(
  app: OpenAPIHono<AppEnv>,
  streams: EventStreams,
  options: { auth: ApiAuth; logger: Logger; countRequest(method: string, status: number): void },
): void {
  const fastPath: MiddlewareHandler<AppEnv> = (c, next) => {
    const incoming = c.env?.incoming
    const outgoing = c.env?.outgoing
    if (c.req.method !== 'GET' || !incoming || !outgoing) return next()
    const started = performance.now()
    const parsed = startOf(streams, incoming.url ?? '', headerOf(incoming.headers['last-event-id']))
    if (parsed === null) return next()
    const refused = checkToken(options.auth, {
      method: 'GET',
      path: PATH,
      authorization: () => headerOf(incoming.headers.authorization),
      queryToken: () => parsed.accessToken,
    })
    if (refused) return next()
    const reqId = requestIdOf(headerOf(incoming.headers['x-request-id']))
    if (!streams.open(outgoing, parsed.start, reqId, options.logger)) return next()
    options.countRequest('GET', 200)
    logAnswered(options.logger, { reqId, method: 'GET', path: PATH, status: 200, started })
    // The shared constant: nothing after this middleware touches it (a copy costs a web Response).
    return Promise.resolve(RESPONSE_ALREADY_SENT)
  }
  app.use(PATH, fastPath)
}

/** `GET /events`: the live log as Server-Sent Events, for what the fast path handed on. */
export function registerEventStreamRoute(app: OpenAPIHono<AppEnv>, streams: EventStreams): void {
  app.openapi(streamRoute, (c) => {
    const lastEventId = c.req.valid('header')['Last-Event-ID']
    const { after } = c.req.valid('query')
    const start = lastEventId !== undefined ? Number(lastEventId) : (after ?? streams.latest())
    // HEAD would drop the body unread, and with it the stream's hold on the monitor: open nothing.
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers: HEADERS })
    const outgoing = c.env?.outgoing
    if (!outgoing) throw new BanzaiError('bug', 'the event stream needs node:http (@hono/node-server)')
    if (!streams.open(outgoing, start, c.get('requestId'), c.get('logger')))
      throw new HttpProblem(
        503,
        'too_many_streams',
        'too many event streams are open; try again shortly',
        [],
        { 'Retry-After': String(streams.retryAfterSeconds) },
      )
    return alreadySent()
  })
}
