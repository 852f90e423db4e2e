import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { StoredEvent } from '../events.ts'
import { evolveDetail } from './detail.ts'
import type { PipelineDetail, TaskDetail } from './view.ts'

const events = readFileSync(
  new URL('../../../fixtures/logs/v2-sharded.events.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => StoredEvent.parse(JSON.parse(line)))

/** The summary of a task's shards, read off them the plain way (the oracle of the one-pass version). */
function expectedSummary(task: TaskDetail) {
  const units = task.units
  const succeeded = units.filter((u) => u.status === 'succeeded').length
  const running = units.filter((u) => u.status === 'running').length
  const withProgress = units.filter((u) => u.progress !== null)
  const unit = withProgress[0]?.progress?.unit ?? 'shards'
  const everyOne =
    withProgress.length === units.length && withProgress.every((u) => u.progress?.unit === unit)
  const progress =
    units.length > 1
      ? everyOne
        ? {
            done: units.reduce(
              (n, u) => n + (u.status === 'succeeded' ? (u.progress?.total ?? 0) : (u.progress?.done ?? 0)),
              0,
            ),
            total: units.reduce((n, u) => n + (u.progress?.total ?? 0), 0),
            unit,
          }
        : { done: succeeded, total: units.length, unit: 'shards' }
      : units.length === 1
        ? (units[0]?.progress ?? null)
        : task.progress
  return {
    shards: { total: units.length, succeeded, running },
    worker: units.findLast((u) => u.worker !== null)?.worker ?? null,
    progress,
  }
}

describe('the detail projection of a sharded pipeline', () => {
  it('keeps every task summary equal to its shards after each event of a recorded log', () => {
    const details = new Map<string, PipelineDetail | null>()
    let checked = 0
    for (const event of events) {
      const detail = evolveDetail(details.get(event.pipelineId) ?? null, event)
      details.set(event.pipelineId, detail)
      for (const task of detail.tasks) {
        if (task.units.length === 0 || task.status === 'succeeded' || task.status === 'failed') continue
        const expected = expectedSummary(task)
        expect({ shards: task.shards, progress: task.progress }).toEqual({
          shards: expected.shards,
          progress: expected.progress,
        })
        if (expected.worker !== null) expect(task.worker).toBe(expected.worker)
        checked++
      }
    }
    // The log has shards running in parallel and progress on them: many intermediate states were compared.
    expect(checked).toBeGreaterThan(20)
    expect(events.some((e) => e.type === 'UnitProgressed')).toBe(true)
  })
})
