// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { replayDetail } from '../../../../core/domain/projections/index.ts'
import { createFakeServices } from '../../testing/fake-services.ts'
import { renderWith } from '../../testing/render-with.tsx'
import { SAMPLE_CID, sleepNoopRun } from '../../testing/sample-events.ts'
import { PipelinePage } from './pipeline-page.tsx'

afterEach(cleanup)

const run = sleepNoopRun('p1')
const stepStatus = (step: number) =>
  document.querySelector(`.task-card[data-step="${step}"]`)?.getAttribute('data-status')

describe('PipelinePage', () => {
  it('shows each task and follows live events with the shared reducer', async () => {
    const fake = createFakeServices({
      '/pipelines/p1': replayDetail(run.slice(0, 5)),
      '/pipelines/p1/tasks/0/logs': {
        lines: [
          { at: '2026-01-01T12:00:01.000Z', level: 'info', msg: 'sleeping 1500 ms', shard: 0, attempt: 1 },
        ],
        next: null,
      },
    })
    renderWith(fake.services, () => <PipelinePage id="p1" />)
    await waitFor(() => expect(stepStatus(0)).toBe('running'))
    expect(screen.getByText(/750 \/ 1,500 ms/)).toBeTruthy()
    expect(screen.getByText('w1')).toBeTruthy()
    expect(stepStatus(1)).toBe('pending')

    fireEvent.click(screen.getAllByText('Show logs')[0] as HTMLElement)
    expect(await screen.findByText(/sleeping 1500 ms/)).toBeTruthy()

    for (const event of run.slice(5)) fake.emit(event)
    await waitFor(() => expect(stepStatus(1)).toBe('succeeded'))
    expect(document.querySelector('.pipeline-header .badge')?.textContent).toBe('succeeded')
    expect(document.querySelector(`a[title="${SAMPLE_CID}"]`)).toBeTruthy()
    // The logs stay open across updates (cards are kept, not rebuilt).
    expect(screen.getByText(/sleeping 1500 ms/)).toBeTruthy()
  })

  it('shows the cache-hit mark and errors, and cancels', async () => {
    const detail = replayDetail(run.slice(0, 4))
    if (!detail) throw new Error('no detail')
    const task = detail.tasks[0]
    if (task) detail.tasks[0] = { ...task, error: 'lease expired on w1' }
    const second = detail.tasks[1]
    if (second) detail.tasks[1] = { ...second, cacheHit: true }
    const fake = createFakeServices({
      '/pipelines/p1': detail,
      'POST /pipelines/p1/cancel': { ...detail, status: 'cancelled' },
    })
    renderWith(fake.services, () => <PipelinePage id="p1" />)
    expect(await screen.findByText('lease expired on w1')).toBeTruthy()
    expect(screen.getByText('cache hit')).toBeTruthy()
    fireEvent.click(screen.getByText('Cancel'))
    await waitFor(() => expect(fake.requests).toContain('POST /pipelines/p1/cancel'))
  })
})
