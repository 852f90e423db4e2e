import type { Context } from 'hono'
import type { AppEnv } from '../deps.ts'
import { HttpProblem, problemResponse, toProblem } from './problem.ts'

/** A registered route: what Hono lists in `app.routes`. */
export interface RouteEntry {
  method: string
  path: string
}

function toPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) =>
      part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/')
  return new RegExp(`^${source}$`)
}

/**
 * The answer for a request no handler took: 405 with `Allow` when the path exists under
 * another method, else 404. Routes are read once, on first use (after they are all registered).
 */
export function createFallback(listRoutes: () => RouteEntry[]): (c: Context<AppEnv>) => Response {
  let table: { pattern: RegExp; method: string }[] | null = null
  return (c) => {
    table ??= listRoutes()
      .filter((r) => r.method !== 'ALL' && r.path !== '*' && r.path !== '/*')
      .map((r) => ({ pattern: toPattern(r.path), method: r.method }))
    const path = c.req.path
    const isApi = path === '/api' || path.startsWith('/api/')
    // Outside /api everything is the dashboard, which is only read.
    const allowed = new Set(isApi ? table.filter((r) => r.pattern.test(path)).map((r) => r.method) : ['GET'])
    if (allowed.size > 0) {
      if (allowed.has('GET')) allowed.add('HEAD')
      const allow = [...allowed].sort().join(', ')
      return problemResponse(
        c,
        toProblem(
          new HttpProblem(
            405,
            'method_not_allowed',
            `${c.req.method} is not allowed on ${path}; allowed: ${allow}`,
            [],
            { Allow: allow },
          ),
        ),
      )
    }
    return problemResponse(c, toProblem(new HttpProblem(404, 'no_route', `no route ${c.req.method} ${path}`)))
  }
}
