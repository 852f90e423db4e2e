import { createSignal, Show } from 'solid-js'
import type { TaskDetail } from '../../../../core/domain/index.ts'
import { ProgressBar } from '../../components/progress-bar.tsx'
import { StatusBadge } from '../../components/status-badge.tsx'
import { formatDuration, spanMs } from '../../format/duration.ts'
import { formatProgress } from '../../format/quantity.ts'
import { inputsOf } from './graph-layout.ts'
import { OutputLink } from './output-link.tsx'
import { TaskLogs } from './task-logs.tsx'

/** What a task card shows beside the task: the time, the ETA, and whether logs may be opened. */
export interface TaskCardProps {
  task: TaskDetail
  pipelineId: string
  now: number
  /** Estimated ms left, when it can be told. */
  etaMs?: number | null
  /** Live page (logs and links); false in replay. */
  isLive: boolean
  /** Opened from the graph: highlighted. */
  isSelected?: boolean
  /** The pipeline's tasks, to name this one's inputs. */
  tasks?: TaskDetail[]
}

/** One task of a pipeline: state, progress with ETA, shards, attempts, worker, output, error, logs. */
export function TaskCard(props: TaskCardProps) {
  const [logsOpen, setLogsOpen] = createSignal(false)
  const t = () => props.task
  const fraction = () => {
    const p = t().progress
    if (t().status === 'succeeded') return 1
    return p && p.total > 0 ? p.done / p.total : 0
  }
  const progressLabel = () => {
    const p = t().progress
    const text = p ? formatProgress(p.done, p.total, p.unit) : t().status === 'succeeded' ? 'done' : ''
    const eta = props.etaMs
    return t().status === 'running' && eta !== null && eta !== undefined
      ? `${text} · ETA ${formatDuration(eta)}`
      : text
  }
  const duration = () => spanMs(t().startedAt, t().endedAt, props.now)
  const inputs = () =>
    inputsOf(t())
      .map((i) => {
        const from = props.tasks?.[i]
        return `${i + 1}${from?.id ? ` (${from.id})` : from ? ` (${from.call})` : ''}`
      })
      .join(', ')
  return (
    <article
      class={`task-card status-${t().status}`}
      classList={{ selected: props.isSelected === true }}
      id={`step-${t().index}`}
      data-step={t().index}
      data-status={t().status}
      data-selected={props.isSelected === true ? 'true' : undefined}
      tabindex="-1"
    >
      <header>
        <span class="step-index">{t().index + 1}</span>
        <h3 class="mono">{t().call}</h3>
        <Show when={t().id}>{(id) => <span class="mono muted task-id">{id()}</span>}</Show>
        <span class="mono muted args" title={JSON.stringify(t().args)}>
          (
          {t()
            .args.map((a) => JSON.stringify(a))
            .join(', ')}
          )
        </span>
        <StatusBadge status={t().status} />
        <Show when={t().cacheHit}>
          <span
            class="badge cache-hit"
            title={
              t().cachedFrom
                ? `from ${t().cachedFrom?.pipelineId} step ${(t().cachedFrom?.step ?? 0) + 1}`
                : 'memoized'
            }
          >
            cache hit
          </span>
        </Show>
      </header>
      <ProgressBar fraction={fraction()} status={t().status} label={progressLabel()} />
      <dl class="facts">
        <div>
          <dt>Inputs</dt>
          <dd class="task-inputs">{inputs() || '—'}</dd>
        </div>
        <div>
          <dt>Shards</dt>
          <dd>
            {t().shards.total === 0
              ? '—'
              : `${t().shards.succeeded}/${t().shards.total} done, ${t().shards.running} running`}
          </dd>
        </div>
        <div>
          <dt>Attempt</dt>
          <dd>{t().attempt || '—'}</dd>
        </div>
        <div>
          <dt>Worker</dt>
          <dd class="mono">{t().worker ?? '—'}</dd>
        </div>
        <div>
          <dt>Lane</dt>
          <dd>{t().lane}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{duration() === null ? '—' : formatDuration(duration() ?? 0)}</dd>
        </div>
        <Show when={t().output}>
          {(cid) => (
            <div class="wide">
              <dt>Output</dt>
              <dd>
                <Show when={props.isLive} fallback={<span class="mono cid">{cid()}</span>}>
                  <OutputLink cid={cid()} call={t().call} />
                </Show>
              </dd>
            </div>
          )}
        </Show>
      </dl>
      <Show when={t().joined}>
        {(leader) => <p class="muted small">Waiting on the identical step of {leader()}.</p>}
      </Show>
      <Show when={t().status === 'queued' && t().waiting}>
        {(waiting) => <p class="muted small">{waiting()}</p>}
      </Show>
      <Show when={t().error}>
        {(error) => (
          <pre class="task-error" role="alert">
            {error()}
          </pre>
        )}
      </Show>
      <Show when={props.isLive}>
        <button type="button" class="link" onClick={() => setLogsOpen((o) => !o)} aria-expanded={logsOpen()}>
          {logsOpen() ? 'Hide logs' : 'Show logs'}
        </button>
        <Show when={logsOpen()}>
          <TaskLogs
            pipelineId={props.pipelineId}
            step={t().index}
            isRunning={t().status === 'running' || t().status === 'queued'}
          />
        </Show>
      </Show>
    </article>
  )
}
