import { writeFileSync } from 'node:fs'
import type { InProcess } from './in-process.ts'

/**
 * Writes a recorded log under `out` (`OUT.events.jsonl`, every committed event, and
 * `OUT.details.json`, the projections of `ids`), which core/monitor/recorded-logs.int.test.ts replays.
 */
export function writeRecordedLog(env: InProcess, ids: readonly string[], out: string): void {
  const events = env.log.readAfter(0, 100_000)
  writeFileSync(`${out}.events.jsonl`, events.map((e) => JSON.stringify(e)).join('\n') + '\n')
  writeFileSync(
    `${out}.details.json`,
    JSON.stringify(Object.fromEntries(ids.map((id) => [id, env.queries.detail(id)])), null, 1) + '\n',
  )
  console.log(
    `${events.length} events, ${ids.length} pipelines: ${[...new Set(events.map((e) => e.type))].sort().join(', ')}`,
  )
}
