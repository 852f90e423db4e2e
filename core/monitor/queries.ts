import {
  type CacheInfo,
  type EventPage,
  type LogPage,
  type MemoParts,
  NotFoundError,
  type PipelineDetail,
  replayDetail,
  type StoredEvent,
  type SummaryPage,
} from '../domain/index.ts'
import { EventLog } from './event-log.ts'
import { stepMemoKey } from './memo-key.ts'
import { MemoTable } from './memo-table.ts'
import { PipelineTable } from './pipeline-table.ts'
import type { Db } from './sqlite/open-database.ts'
import { TaskLogTable } from './task-log-table.ts'

/** The read side of the monitor: every answer comes from committed rows. */
export class MonitorQueries {
  constructor(
    private readonly log: EventLog,
    private readonly pipelines: PipelineTable,
    private readonly memo: MemoTable,
    private readonly taskLogs: TaskLogTable,
  ) {}

  /** The read side of a monitor's database, on table handles of its own. */
  static over(db: Db): MonitorQueries {
    return new MonitorQueries(
      new EventLog(db),
      new PipelineTable(db),
      new MemoTable(db),
      new TaskLogTable(db),
    )
  }

  /** `GET /pipelines/:id`. */
  detail(id: string): PipelineDetail {
    const record = this.pipelines.get(id)
    if (!record) throw new NotFoundError(`no pipeline ${id}`)
    return record.detail
  }

  /** `GET /pipelines`. */
  list(options: { status?: string; after?: string; limit: number }): SummaryPage {
    return this.pipelines.list(options)
  }

  /** `GET /pipelines/:id/events`: a page after `after` (a pipelineSeq). */
  events(id: string, after: number, limit: number): EventPage {
    const record = this.pipelines.get(id)
    if (!record) throw new NotFoundError(`no pipeline ${id}`)
    const events = this.log.readPipeline(id, after, limit)
    const last = events[events.length - 1]
    return { events, next: last && last.pipelineSeq < record.detail.pipelineSeq ? last.pipelineSeq : null }
  }

  /** `GET /pipelines/:id/state?at=N`: the detail after the N-th event, from the nearest checkpoint. */
  stateAt(id: string, at: number): PipelineDetail {
    const record = this.pipelines.get(id)
    if (!record) throw new NotFoundError(`no pipeline ${id}`)
    const n = Math.min(at, record.detail.pipelineSeq)
    if (n === record.detail.pipelineSeq) return record.detail
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
