import { createResource, createSignal, For, onCleanup, Show } from 'solid-js'
import {
  isEnded,
  type PipelineStatus,
  type PipelineSummary,
  SummaryPage,
} from '../../../../core/domain/index.ts'
import { useServices } from '../../app-context.ts'
import { ErrorBox } from '../../components/error-box.tsx'
import { ProgressBar } from '../../components/progress-bar.tsx'
import { StatusBadge } from '../../components/status-badge.tsx'
import { formatDuration, formatTime, spanMs } from '../../format/duration.ts'
import { createClock } from '../../live/clock.ts'
import { createThrottle } from '../../live/throttle.ts'
import { linkTo } from '../../router.ts'
import { settled } from '../../api/settled.ts'

const STATUSES: PipelineStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled']
/** Rows per page: a screenful; thousands of runs are reached by paging, never loaded at once. */
export const PAGE_SIZE = 50

/** The list of pipelines: filter by status, page with `after`/`next`, live over SSE. */
export function PipelineList() {
  const { api, events } = useServices()
  const now = createClock()
  const [status, setStatus] = createSignal<PipelineStatus | ''>('')
  // Cursors of the pages before the current one, so "previous" works with forward-only paging.
  const [cursors, setCursors] = createSignal<(string | null)[]>([null])
  const query = () => ({ status: status(), after: cursors()[cursors().length - 1] ?? null })
  const [page, { refetch }] = createResource(query, async (q) => {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) })
    if (q.status) params.set('status', q.status)
    if (q.after) params.set('after', q.after)
    return api.get(`/pipelines?${params.toString()}`, SummaryPage)
  })
  const refresh = createThrottle(() => void refetch(), 500)
  onCleanup(
    events.subscribe((event) => {
      const visible = settled(page)?.items.some((p) => p.id === event.pipelineId) ?? false
      const isNewOnFirstPage = event.type === 'PipelineSubmitted' && cursors().length === 1
      if (visible || isNewOnFirstPage) refresh()
    }),
  )
  const chooseStatus = (value: string): void => {
    setStatus(value as PipelineStatus | '')
    setCursors([null])
  }
  const duration = (p: PipelineSummary): string =>
    formatDuration(spanMs(p.createdAt, isEnded(p.status) ? p.updatedAt : null, now()) ?? NaN)

  return (
    <section class="view">
      <header class="view-header">
        <h1>Pipelines</h1>
        <label class="filter">
          Status{' '}
          <select name="status" value={status()} onChange={(e) => chooseStatus(e.currentTarget.value)}>
            <option value="">all</option>
            <For each={STATUSES}>{(s) => <option value={s}>{s}</option>}</For>
          </select>
        </label>
        <a class="button primary" href={linkTo({ view: 'submit' })}>
          New pipeline
        </a>
      </header>
      <ErrorBox error={page.error as unknown} />
      <table class="grid pipelines">
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Step</th>
            <th class="wide">Progress</th>
            <th>Started</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          <For
            each={settled(page)?.items ?? []}
            fallback={
              <tr>
                <td colSpan={6} class="empty">
                  {page.loading ? 'Loading…' : 'No pipelines yet.'}
                </td>
              </tr>
            }
          >
            {(p) => (
              <tr data-id={p.id} data-status={p.status}>
                <td>
                  <a href={linkTo({ view: 'pipeline', id: p.id })}>{p.name || p.id}</a>
                  <div class="muted mono small">{p.id}</div>
                </td>
                <td>
                  <StatusBadge status={p.status} />
                </td>
                <td>{p.steps === 0 ? '—' : `${Math.min(p.step + 1, p.steps)} / ${p.steps}`}</td>
                <td>
                  <ProgressBar
                    fraction={p.progress}
                    status={p.status}
                    label={`${Math.round(p.progress * 100)}%`}
                  />
                </td>
                <td>{formatTime(p.createdAt)}</td>
                <td>{duration(p)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <nav class="pager">
        <button
          type="button"
          disabled={cursors().length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          ← Previous
        </button>
        <span class="muted">Page {cursors().length}</span>
        <Show
          when={settled(page)?.next}
          fallback={
            <button type="button" disabled>
              Next →
            </button>
          }
        >
          {(next) => (
            <button type="button" onClick={() => setCursors((c) => [...c, next()])}>
              Next →
            </button>
          )}
        </Show>
      </nav>
    </section>
  )
}
