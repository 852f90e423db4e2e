import {
  BanzaiError,
  type CacheInfo,
  type EventPage,
  type LogPage,
  type MemoParts,
  NotFoundError,
  type PipelineDetail,
  replayDetail,
  type StoredEvent,
  summarize,
  type SummaryPage,
} from '../domain/index.ts'
import { EventLog } from './event-log.ts'
import { stepMemoKey } from './memo-key.ts'
import { MemoTable } from './memo-table.ts'
import { PipelineTable } from './pipeline-table.ts'
import type { Db } from './sqlite/open-database.ts'
import { TaskLogTable } from './task-log-table.ts'

/** What the read side takes besides the tables. */
export interface ReadSources {
  /**
   * The committed detail of a live pipeline, from the engine's memory: its snapshot row may lag
   * its events (SnapshotSchedule). Without it, answers come from the rows alone.
   */
  live?: (id: string) => PipelineDetail | undefined
  /** Says that a snapshot row could not be read and was rebuilt from events (once per pipeline). */
  warn?: (message: string) => void
}

/**
 * The read side of the monitor: every answer is committed state, from the rows or, for a live
 * pipeline whose row lags, from the engine's committed detail. A snapshot row that cannot be read
 * (damaged, or of another snapshot version) is rebuilt from the pipeline's events, never a 500.
 */
export class MonitorQueries {
  private readonly warned = new Set<string>()

  constructor(
    private readonly log: EventLog,
    private readonly pipelines: PipelineTable,
    private readonly memo: MemoTable,
    private readonly taskLogs: TaskLogTable,
    private readonly sources: ReadSources = {},
  ) {}

  /** The read side of a monitor's database, on table handles of its own. */
  static over(db: Db, sources: ReadSources = {}): MonitorQueries {
    return new MonitorQueries(
      new EventLog(db),
      new PipelineTable(db),
      new MemoTable(db),
      new TaskLogTable(db),
      sources,
    )
  }

  /** `GET /pipelines/:id`. */
  detail(id: string): PipelineDetail {
    const detail = this.sources.live?.(id) ?? this.storedDetail(id)
    if (!detail) throw new NotFoundError(`no pipeline ${id}`)
    return detail
  }

  /** `GET /pipelines`. */
  list(options: { status?: string; after?: string; limit: number }): SummaryPage {
    const { rows, next } = this.pipelines.listDetails(options)
    const items = rows.map((row) =>
      summarize(
        this.sources.live?.(row.id) ?? ('detail' in row ? row.detail : this.rebuild(row.id, row.error)),
      ),
    )
    return { items, next }
  }

  /** A pipeline's detail from its row, or rebuilt from its events when the row cannot be read. */
  private storedDetail(id: string): PipelineDetail | null {
    try {
      return this.pipelines.get(id)?.detail ?? null
    } catch (error) {
      if (!(error instanceof BanzaiError) || error.code !== 'corrupt') throw error
      return this.rebuild(id, error.message)
    }
  }

  /** The detail replayed from a pipeline's events (its row could not be read: `problem`). */
  private rebuild(id: string, problem: string): PipelineDetail {
    const detail = replayDetail(this.allEvents(id))
    if (!detail)
      throw new BanzaiError('corrupt', `${problem}, and pipeline ${id} has no events to rebuild it from`)
    if (!this.warned.has(id)) {
      this.warned.add(id)
      this.sources.warn?.(`${problem}: answered pipeline ${id} from its ${detail.pipelineSeq} events`)
    }
    return detail
  }

  private *allEvents(id: string): Generator<StoredEvent> {
    let after = 0
    for (;;) {
      const page = this.log.readPipeline(id, after, 1000)
      yield* page
      if (page.length < 1000) return
      after = page[page.length - 1]!.pipelineSeq
    }
  }

  /** `GET /pipelines/:id/events`: a page after `after` (a pipelineSeq). */
  events(id: string, after: number, limit: number): EventPage {
    const detail = this.detail(id)
    const events = this.log.readPipeline(id, after, limit)
    const last = events[events.length - 1]
    return { events, next: last && last.pipelineSeq < detail.pipelineSeq ? last.pipelineSeq : null }
  }

  /** `GET /pipelines/:id/state?at=N`: the detail after the N-th event, from the nearest checkpoint. */
  stateAt(id: string, at: number): PipelineDetail {
    const current = this.detail(id)
    const n = Math.min(at, current.pipelineSeq)
    if (n === current.pipelineSeq) return current
    const start = this.pipelines.checkpointAtOrBefore(id, n)
    const from = start?.pipelineSeq ?? 0
    const detail = replayDetail(this.log.readPipelineRange(id, from, n), start)
    if (!detail) throw new NotFoundError(`pipeline ${id} has no event ${at}`)
    return detail
  }

  /** `GET /pipelines/:id/tasks/:step/logs`. */
  logs(id: string, step: number, after = 0, limit = 500): LogPage {
    this.detail(id)
    return this.taskLogs.list(id, step, after, limit)
  }

  /** `GET /pipelines/:id/tasks/:step/cache`: the memo key parts, and for a miss what differed. */
  cache(id: string, step: number): CacheInfo {
    const detail = this.detail(id)
    const task = detail.tasks[step]
    if (!task) throw new NotFoundError(`pipeline ${id} has no step ${step}`)
    const events = this.stepEvents(id, step)
    const submitted = this.log.readPipeline(id, 0, 1)[0]
    const version = submitted?.type === 'PipelineSubmitted' ? (submitted.data.tasks[step]?.version ?? 0) : 0
    const hit = events.find((e) => e.type === 'StepCacheHit')
    const started = events.find((e) => e.type === 'StepStarted')
    const joined = events.find((e) => e.type === 'StepJoined')
    const input =
      started?.type === 'StepStarted'
        ? started.data.input
        : step === 0
          ? null
          : (detail.tasks[step - 1]?.output ?? null)
    const parts: MemoParts = { call: task.call, version, args: task.args, input }
    const key =
      started?.type === 'StepStarted'
        ? started.data.memoKey
        : joined?.type === 'StepJoined'
          ? joined.data.memoKey
          : stepMemoKey(parts)
    if (hit?.type === 'StepCacheHit')
      return { step, status: 'hit', key: stepMemoKey(parts), parts, from: hit.data.from, nearest: null }
    if (joined?.type === 'StepJoined' && !started)
      return {
        step,
        status: 'joined',
        key,
        parts,
        from: { pipelineId: joined.data.leader, step },
        nearest: null,
      }
    if (!started) return { step, status: 'pending', key: null, parts: null, from: null, nearest: null }
    const status = detail.cache ? 'miss' : 'bypassed'
    return { step, status, key, parts, from: null, nearest: this.nearest(parts, id, detail.createdAt) }
  }

  private stepEvents(id: string, step: number): StoredEvent[] {
    const out: StoredEvent[] = []
    let after = 0
    for (;;) {
      const page = this.log.readPipeline(id, after, 1000)
      for (const e of page)
        if ('step' in e.data && e.data.step === step && e.type.startsWith('Step')) out.push(e)
      if (page.length < 1000) return out
      after = page[page.length - 1]!.pipelineSeq
    }
  }

  private nearest(parts: MemoParts, self: string, before: string): CacheInfo['nearest'] {
    let best: CacheInfo['nearest'] = null
    for (const entry of this.memo.recentOfCall(parts.call, before)) {
      if (entry.pipelineId === self) continue
      const differs = (['version', 'args', 'input'] as const).filter(
        (k) => JSON.stringify(entry.parts[k]) !== JSON.stringify(parts[k]),
      )
      if (!best || differs.length < best.differs.length)
        best = { pipelineId: entry.pipelineId, step: entry.step, key: entry.key, differs }
    }
    return best
  }
}
