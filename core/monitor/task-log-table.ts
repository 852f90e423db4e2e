import type { LogLine, LogPage, TaskLogLine } from '../domain/index.ts'
import type { Db } from './sqlite/open-database.ts'

/** Lines kept per unit attempt; later ones are dropped with a note. */
export const MAX_LOG_LINES_PER_ATTEMPT = 1000

/** Task log lines that travelled with worker reports, bounded per attempt. */
export class TaskLogTable {
  private readonly insert
  private readonly count
  private readonly read

  constructor(db: Db) {
    this.insert = db.prepare(
      'INSERT INTO task_logs (pipeline_id, step, shard, attempt, at, level, msg) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    this.count = db.prepare<[string, number, number, number], { n: number }>(
      'SELECT COUNT(*) AS n FROM task_logs WHERE pipeline_id = ? AND step = ? AND shard = ? AND attempt = ?',
    )
    this.read = db.prepare<[string, number, number, number], TaskLogLine & { id: number }>(
      'SELECT id, shard, attempt, at, level, msg FROM task_logs WHERE pipeline_id = ? AND step = ? AND id > ? ORDER BY id LIMIT ?',
    )
  }

  /** Stores lines of one unit attempt; call inside the tick's transaction. */
  append(pipelineId: string, step: number, shard: number, attempt: number, lines: readonly LogLine[]): void {
    const have = this.count.get(pipelineId, step, shard, attempt)?.n ?? 0
    const room = MAX_LOG_LINES_PER_ATTEMPT - have
    if (room <= 0) return
    const kept = lines.slice(0, room)
    for (const l of kept) this.insert.run(pipelineId, step, shard, attempt, l.at, l.level, l.msg)
    if (kept.length < lines.length) {
      const last = kept[kept.length - 1]?.at ?? lines[0]!.at
      this.insert.run(
        pipelineId,
        step,
        shard,
        attempt,
        last,
        'warn',
        `log truncated: more than ${MAX_LOG_LINES_PER_ATTEMPT} lines`,
      )
    }
  }

  /** A page of a step's lines after the line id `after`. */
  list(pipelineId: string, step: number, after = 0, limit = 500): LogPage {
    const rows = this.read.all(pipelineId, step, after, limit + 1)
    const page = rows.slice(0, limit)
    return {
      lines: page.map(({ shard, attempt, at, level, msg }) => ({ shard, attempt, at, level, msg })),
      next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
    }
  }
}
