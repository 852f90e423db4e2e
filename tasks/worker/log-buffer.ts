import type { LogLine, TaskLogger } from '../../core/domain/index.ts'

/** Most log lines one report carries (the schema's bound). */
export const MAX_LINES_PER_REPORT = 100
const MAX_LINE_CHARS = 2_000

/** A task's log lines waiting for its next report; bounded, it counts what it had to drop. */
export interface LogBuffer {
  logger: TaskLogger
  /** Takes the buffered lines (at most 100, the last one noting any dropped), or undefined when none. */
  drain(): LogLine[] | undefined
}

/** Creates a log buffer that stamps lines with `now()`. */
export function createLogBuffer(now: () => Date, limit = MAX_LINES_PER_REPORT): LogBuffer {
  let lines: LogLine[] = []
  let droppedCount = 0
  const write =
    (level: LogLine['level']) =>
    (msg: string): void => {
      // Keep one place free for the "dropped" note, so a chatty task never exceeds the bound.
      if (lines.length >= limit - 1) {
        droppedCount++
        return
      }
      lines.push({
        at: now().toISOString(),
        level,
        msg: msg.length > MAX_LINE_CHARS ? `${msg.slice(0, MAX_LINE_CHARS - 1)}…` : msg,
      })
    }
  return {
    logger: { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') },
    drain() {
      if (droppedCount > 0)
        lines.push({
          at: now().toISOString(),
          level: 'warn',
          msg: `${droppedCount} log lines dropped (too many between reports)`,
        })
      droppedCount = 0
      if (lines.length === 0) return undefined
      const out = lines
      lines = []
      return out
    },
  }
}
