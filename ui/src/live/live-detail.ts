import { createSignal, onCleanup, type Accessor } from 'solid-js'
import type { PipelineDetail, StoredEvent } from '../../../core/domain/index.ts'
import { evolveDetail } from '../../../core/domain/projections/index.ts'
import type { ApiClient } from '../api/client.ts'
import { ServedDetail } from '../api/served-detail.ts'
import { addSample, type ProgressSample } from '../format/eta.ts'
import type { EventStream } from './event-stream.ts'

/** A pipeline's detail kept current: fetched once, then evolved with each live event. */
export interface LiveDetail {
  detail: Accessor<PipelineDetail | null>
  error: Accessor<unknown>
  /** Progress observations per step, for the ETA. */
  samples: Accessor<ReadonlyMap<number, ProgressSample[]>>
  reload(): Promise<void>
}

/**
 * Follows one pipeline. An event that is exactly the next one (`pipelineSeq + 1`) is applied
 * with the server's own reducer, `evolveDetail`; an older one is ignored; after a gap (a
 * dropped connection) the detail is fetched again.
 */
export function createLiveDetail(
  id: string,
  api: ApiClient,
  events: EventStream,
  now: () => number = Date.now,
): LiveDetail {
  const [detail, setDetail] = createSignal<PipelineDetail | null>(null)
  const [error, setError] = createSignal<unknown>(null)
  const [samples, setSamples] = createSignal<ReadonlyMap<number, ProgressSample[]>>(new Map())
  let pending: StoredEvent[] = []
  let loading = false

  function record(next: PipelineDetail): void {
    const at = now()
    const map = new Map(samples())
    for (const task of next.tasks) {
      if (task.status !== 'running' || !task.progress) continue
      map.set(task.index, addSample(map.get(task.index) ?? [], { at, done: task.progress.done }))
    }
    setSamples(map)
  }

  function apply(event: StoredEvent): void {
    const current = detail()
    if (current === null || loading) return void pending.push(event)
    if (event.pipelineSeq <= current.pipelineSeq) return
    if (event.pipelineSeq > current.pipelineSeq + 1) return void reload()
    const next = evolveDetail(current, event)
    setDetail(next)
    record(next)
  }

  async function reload(): Promise<void> {
    if (loading) return
    loading = true
    try {
      const fetched = await api.get(`/pipelines/${encodeURIComponent(id)}`, ServedDetail)
      const current = detail()
      if (current === null || fetched.pipelineSeq >= current.pipelineSeq) setDetail(fetched)
      setError(null)
      record(fetched)
    } catch (e) {
      setError(e)
    } finally {
      loading = false
    }
    const queued = pending
    pending = []
    for (const event of queued) apply(event)
  }

  onCleanup(
    events.subscribe((event) => {
      if (event.pipelineId === id) apply(event)
    }),
  )
  void reload()
  return { detail, error, samples, reload }
}
