import { createSignal, onCleanup, type Accessor } from 'solid-js'

/** The views of the dashboard and their parameters, read from the URL hash. */
export type Route =
  | { view: 'pipelines' }
  | { view: 'pipeline'; id: string }
  | { view: 'replay'; id: string; at: number | null }
  | { view: 'blob'; cid: string }
  | { view: 'workers' }
  | { view: 'submit' }
  | { view: 'not-found'; path: string }

/** Parses a hash like `#/pipelines/abc/replay?at=12` into a route. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/'
  const [path = '/', query = ''] = raw.split('?', 2)
  const params = new URLSearchParams(query)
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  const [first, second, third] = parts
  if (parts.length === 0 || (first === 'pipelines' && parts.length === 1)) return { view: 'pipelines' }
  if (first === 'pipelines' && second && parts.length === 2) return { view: 'pipeline', id: second }
  if (first === 'pipelines' && second && third === 'replay' && parts.length === 3) {
    const at = Number(params.get('at'))
    return { view: 'replay', id: second, at: params.has('at') && Number.isInteger(at) && at > 0 ? at : null }
  }
  if (first === 'blobs' && second && parts.length === 2) return { view: 'blob', cid: second }
  if (first === 'workers' && parts.length === 1) return { view: 'workers' }
  if (first === 'submit' && parts.length === 1) return { view: 'submit' }
  return { view: 'not-found', path }
}

/** The hash link of a route. */
export function linkTo(route: Route): string {
  switch (route.view) {
    case 'pipelines':
      return '#/'
    case 'pipeline':
      return `#/pipelines/${encodeURIComponent(route.id)}`
    case 'replay':
      return `#/pipelines/${encodeURIComponent(route.id)}/replay${route.at === null ? '' : `?at=${route.at}`}`
    case 'blob':
      return `#/blobs/${encodeURIComponent(route.cid)}`
    case 'workers':
      return '#/workers'
    case 'submit':
      return '#/submit'
    case 'not-found':
      return `#${route.path}`
    default:
      return assertNeverRoute(route)
  }
}

function assertNeverRoute(route: never): never {
  throw new Error(`unknown route ${JSON.stringify(route)}`)
}

/** The current route, following `hashchange`. */
export function useRoute(): Accessor<Route> {
  const [route, setRoute] = createSignal(parseRoute(location.hash))
  const update = (): void => {
    setRoute(parseRoute(location.hash))
  }
  window.addEventListener('hashchange', update)
  onCleanup(() => window.removeEventListener('hashchange', update))
  return route
}

/** Goes to a route (a history entry, like following a link). */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = linkTo(route)
  if (options.replace) history.replaceState(null, '', href)
  else location.hash = href.slice(1)
  if (options.replace) window.dispatchEvent(new HashChangeEvent('hashchange'))
}
