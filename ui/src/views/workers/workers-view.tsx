import { createResource, For, onCleanup } from 'solid-js'
import { useServices } from '../../app-context.ts'
import { WorkerList } from '../../../../core/domain/index.ts'
import { ErrorBox } from '../../components/error-box.tsx'
import { formatAgo } from '../../format/duration.ts'
import { createClock } from '../../live/clock.ts'
import { settled } from '../../api/settled.ts'

/** How often the list is read again, ms (workers beat every second by default). */
export const WORKERS_REFRESH_MS = 2000

/** Live workers (GET /api/workers): lanes, slots, orders in flight, last heartbeat. */
export function WorkersView() {
  const { api } = useServices()
  const now = createClock()
  const [workers, { refetch }] = createResource(() => api.get('/workers', WorkerList))
  const timer = setInterval(() => void refetch(), WORKERS_REFRESH_MS)
  onCleanup(() => clearInterval(timer))
  const list = () => settled(workers)?.workers ?? []
  return (
    <section class="view">
      <header class="view-header">
        <h1>Workers</h1>
        <span class="muted">
          {list().length} live · {list().reduce((n, w) => n + w.inFlight.length, 0)} of{' '}
          {list().reduce((n, w) => n + w.slots, 0)} slots busy
        </span>
      </header>
      <ErrorBox error={workers.error as unknown} />
      <table class="grid workers">
        <thead>
          <tr>
            <th>Worker</th>
            <th>Host</th>
            <th>Lanes</th>
            <th>Slots</th>
            <th>In flight</th>
            <th>Last heartbeat</th>
          </tr>
        </thead>
        <tbody>
          <For
            each={list()}
            fallback={
              <tr>
                <td colSpan={6} class="empty">
                  {workers.loading
                    ? 'Loading…'
                    : 'No live workers. Start one with banzai worker --monitor URL.'}
                </td>
              </tr>
            }
          >
            {(w) => (
              <tr data-worker={w.id}>
                <td class="mono">{w.id}</td>
                <td>
                  {w.host} <span class="muted">pid {w.pid}</span>
                </td>
                <td>{w.lanes.join(', ')}</td>
                <td>
                  {w.inFlight.length} / {w.slots}
                </td>
                <td class="mono small">{w.inFlight.join(' ') || '—'}</td>
                <td>{formatAgo(w.lastHeartbeat, now())}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  )
}
