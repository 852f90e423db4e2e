/** One generated request. */
export interface FuzzRequest {
  method: string
  path: string
  headers: Record<string, string>
  body?: string
}

const METHODS = [
  'GET',
  'GET',
  'GET',
  'POST',
  'POST',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'PURGE',
]
// FETCH_FESTVOX is left out: a valid document would reach the network.
const CALLS = [
  'NOOP',
  'SLEEP',
  'FAIL',
  'MAKE_DATASET',
  'ECHO_ITEMS',
  'FILTER_LONGER',
  'EXTRACT_MFCC',
  'LEARN',
  'nope',
  '',
  'noop',
]
const ROUTES = [
  '/api/pipelines',
  '/api/pipelines/{id}',
  '/api/pipelines/{id}/events',
  '/api/pipelines/{id}/state',
  '/api/pipelines/{id}/tasks/{step}/logs',
  '/api/pipelines/{id}/tasks/{step}/cache',
  '/api/pipelines/{id}/cancel',
  '/api/pipelines/{id}/retry',
  '/api/events',
  '/api/workers',
  '/api/tasks',
  '/api/transport',
  '/api/blobs/{cid}',
  '/api/openapi.json',
  '/api/healthz',
  '/api/metrics',
  '/api/docs',
  '/api/{junk}',
  '/{junk}',
  '/api/pipelines/{id}/{junk}',
]
const QUERY_KEYS = ['limit', 'after', 'status', 'at', 'type', 'access_token', 'x']

/** Makes random requests over the API's routes, some valid, most not. */
export function createRequestGenerator(random: () => number, knownIds: () => string[], knownCids: string[]) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const int = (max: number) => Math.floor(random() * max)
  const chance = (p: number) => random() < p

  function junk(): string {
    const options = [
      () => random().toString(36).slice(2),
      () => '%'.repeat(int(4)) + 'zz',
      () => encodeURIComponent('ü/../\u0000\u202e' + String(int(1e6))),
      () => 'x'.repeat(int(3000)),
      () => String(-int(100)),
      () => String(2 ** 60),
      () => '1e3',
      () => '..',
      () => '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      () => '',
    ]
    return pick(options)()
  }

  function value(depth: number): unknown {
    const kind = int(depth > 4 ? 5 : 8)
    switch (kind) {
      case 0:
        return null
      case 1:
        return random() * 1e6 - 5e5
      case 2:
        return int(200)
      case 3:
        return chance(0.5)
      case 4:
        return chance(0.5) ? junk() : pick(CALLS)
      case 5:
        return Array.from({ length: int(5) }, () => value(depth + 1))
      case 6:
        return Object.fromEntries(
          Array.from({ length: int(5) }, () => [
            pick(['call', 'args', 'lane', 'timeoutMs', 'name', 'tasks', 'labels', 'cache', junk()]),
            value(depth + 1),
          ]),
        )
      default:
        return { call: pick(CALLS), args: Array.from({ length: int(6) }, () => value(depth + 1)) }
    }
  }

  function document(): string {
    const kinds = [
      () => JSON.stringify([{ call: 'NOOP' }]),
      () =>
        JSON.stringify({
          name: junk().slice(0, 300),
          tasks: [{ call: 'SLEEP', args: [int(50)] }],
          labels: { a: junk().slice(0, 100) },
          cache: chance(0.5),
        }),
      () => JSON.stringify(value(0)),
      () => JSON.stringify(Array.from({ length: int(150) }, () => value(2))),
      () => JSON.stringify(value(0)).slice(0, int(40)),
      () => `${'['.repeat(50_000 + int(200_000))}${']'.repeat(int(10))}`,
      () => `{"tasks": [${'{"a":'.repeat(int(5000))}1${'}'.repeat(int(5000))}]}`,
      () => JSON.stringify([{ call: 'FAIL', args: ['x'.repeat(900_000 + int(400_000))] }]),
      () => String.fromCharCode(...Array.from({ length: int(200) }, () => int(256))),
      () => '',
      () => JSON.stringify({ tasks: Array.from({ length: 5000 }, () => ({ call: 'NOOP', extra: int(9) })) }),
    ]
    return pick(kinds)()
  }

  function path(): string {
    const ids = knownIds()
    let p = pick(ROUTES)
      .replace('{id}', () => (chance(0.6) && ids.length > 0 ? pick(ids) : junk()))
      .replace('{step}', () => pick(['0', '1', '2', '99', '-1', 'x', '1.5', '99999999999', junk()]))
      .replace('{cid}', () => (chance(0.5) ? pick(knownCids) : pick(['bafy', 'b' + 'a'.repeat(60), junk()])))
      .replace('{junk}', junk)
    if (chance(0.5)) {
      const parts = Array.from(
        { length: 1 + int(3) },
        () =>
          `${pick(QUERY_KEYS)}=${pick(['0', '1', '100', '1001', '-5', 'abc', 'running', 'succeeded', 'application/json', 'text/html', junk()])}`,
      )
      p += `?${parts.join('&')}`
    }
    return p
  }

  function headers(): Record<string, string> {
    const out: Record<string, string> = {}
    if (chance(0.7))
      out['Content-Type'] = pick([
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/vnd.x+json',
        'garbage',
      ])
    if (chance(0.2))
      out.Range = pick([
        'bytes=0-10',
        'bytes=-5',
        'bytes=5-',
        'bytes=99999-',
        'bytes=a-b',
        'bytes=0-1,3-4',
        'lines=1-2',
        'bytes=99999999999999999999-',
      ])
    if (chance(0.1)) out['If-None-Match'] = pick(['*', '"x"', 'W/"y"', junk().slice(0, 200)])
    if (chance(0.1)) out['Last-Event-ID'] = pick(['0', '5', '-1', 'abc', '99999999999999999999', '1e3'])
    if (chance(0.2)) out['Idempotency-Key'] = pick(['k1', 'k2', junk().slice(0, 300), ''])
    if (chance(0.1)) out.Authorization = pick(['Bearer x', 'Bearer', 'Basic abc', junk().slice(0, 200)])
    if (chance(0.1)) out['X-Request-Id'] = pick(['abc', junk().slice(0, 300)])
    if (chance(0.05)) out['If-Range'] = pick(['"x"', 'Wed, 21 Oct 2015 07:28:00 GMT'])
    return out
  }

  return (): FuzzRequest => {
    const method = pick(METHODS)
    const request: FuzzRequest = { method, path: path(), headers: headers() }
    if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && chance(0.85))
      request.body = document()
    if (method === 'POST' && chance(0.4)) request.path = pick(['/api/pipelines', '/api/pipelines'])
    return request
  }
}
