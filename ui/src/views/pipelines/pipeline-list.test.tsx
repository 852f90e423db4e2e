// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import type { PipelineSummary } from '../../../../core/domain/index.ts'
import { createFakeServices } from '../../testing/fake-services.ts'
import { renderWith } from '../../testing/render-with.tsx'
import { sleepNoopRun } from '../../testing/sample-events.ts'
import { PipelineList } from './pipeline-list.tsx'

afterEach(cleanup)

const row = (id: string, status: PipelineSummary['status'], progress: number): PipelineSummary => ({
  id,
  name: `run ${id}`,
  status,
  step: 0,
  steps: 2,
  progress,
  createdAt: '2026-01-01T12:00:00.000Z',
  updatedAt: '2026-01-01T12:00:05.000Z',
})

describe('PipelineList', () => {
  it('shows rows, filters by status and pages with after/next', async () => {
    const fake = createFakeServices({
      'GET /pipelines?limit=50': {
        items: [row('p1', 'running', 0.25), row('p2', 'succeeded', 1)],
        next: 'p2',
      },
      'GET /pipelines?limit=50&after=p2': { items: [row('p3', 'failed', 0.5)], next: null },
      'GET /pipelines?limit=50&status=failed': { items: [row('p3', 'failed', 0.5)], next: null },
    })
    renderWith(fake.services, () => <PipelineList />)
    expect(await screen.findByText('run p1')).toBeTruthy()
    expect(document.querySelector('tr[data-id="p1"] .badge')?.textContent).toBe('running')
    expect(
      document.querySelector('tr[data-id="p1"] [role="progressbar"]')?.getAttribute('aria-valuenow'),
    ).toBe('25')

    fireEvent.click(screen.getByText('Next →'))
    expect(await screen.findByText('run p3')).toBeTruthy()
    expect(screen.queryByText('run p1')).toBeNull()

    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'failed' } })
    await waitFor(() => expect(fake.requests).toContain('GET /pipelines?limit=50&status=failed'))
  })

  it('reads the page again when a shown pipeline changes', async () => {
    let status: PipelineSummary['status'] = 'running'
    const fake = createFakeServices({
      'GET /pipelines?limit=50': () => ({ items: [row('p1', status, 0.5)], next: null }),
    })
    renderWith(fake.services, () => <PipelineList />)
    await screen.findByText('run p1')
    status = 'succeeded'
    const last = sleepNoopRun('p1').at(-1)
    if (last) fake.emit(last)
    await waitFor(
      () => expect(document.querySelector('tr[data-id="p1"]')?.getAttribute('data-status')).toBe('succeeded'),
      { timeout: 2000 },
    )
  })
})
