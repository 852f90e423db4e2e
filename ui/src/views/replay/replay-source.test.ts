import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../../../core/domain/index.ts'
import { replayDetail } from '../../../../core/domain/projections/index.ts'
import { sleepNoopRun } from '../../testing/sample-events.ts'
import { ReplaySource } from './replay-source.ts'

function fetchersOver(events: StoredEvent[]) {
  const calls: string[] = []
  return {
    calls,
    fetchers: {
      async events(after: number, limit: number) {
        calls.push(`events ${after}`)
        const page = events.filter((e) => e.pipelineSeq > after).slice(0, limit)
        const last = page[page.length - 1]
        return { events: page, next: last && last.pipelineSeq < events.length ? last.pipelineSeq : null }
      },
      async stateAt(at: number) {
        calls.push(`state ${at}`)
        const detail = replayDetail(events.filter((e) => e.pipelineSeq <= at))
        if (!detail) throw new Error('no state')
        return detail
      },
    },
  }
}

describe('ReplaySource', () => {
  const run = sleepNoopRun()

  it('shows the pipeline exactly as the reducer had it after each event', async () => {
    const { fetchers } = fetchersOver(run)
    const source = new ReplaySource(fetchers, 4)
    for (let at = 1; at <= run.length; at++) {
      const frame = await source.frame(at)
      expect(frame.event.pipelineSeq).toBe(at)
      expect(frame.detail).toEqual(replayDetail(run.slice(0, at)))
    }
    expect(source.loadedPages).toBe(Math.ceil(run.length / 4))
  })

  it('jumps far with one state request instead of reading every page before', async () => {
    const { fetchers, calls } = fetchersOver(run)
    const source = new ReplaySource(fetchers, 2)
    const frame = await source.frame(12)
    expect(frame.detail.tasks[1]?.status).toBe('succeeded')
    expect(calls.sort()).toEqual(['events 10', 'state 10'])
    // A step back into the page before: its start comes from the server again, not from page 0.
    await source.frame(9)
    expect(calls).toContain('state 8')
    expect(calls).not.toContain('events 0')
  })

  it('has a task back in running when moved before its end', async () => {
    const { fetchers } = fetchersOver(run)
    const source = new ReplaySource(fetchers)
    expect((await source.frame(run.length)).detail.tasks[0]?.status).toBe('succeeded')
    expect((await source.frame(5)).detail.tasks[0]?.status).toBe('running')
  })
})
