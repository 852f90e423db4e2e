// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { replayDetail } from '../../../../core/domain/projections/index.ts'
import { createFakeServices } from '../../testing/fake-services.ts'
import { renderWith } from '../../testing/render-with.tsx'
import { sleepNoopRun } from '../../testing/sample-events.ts'
import { ReplayView } from './replay-view.tsx'

afterEach(cleanup)

const run = sleepNoopRun('p1')
const stepStatus = (step: number) =>
  document.querySelector(`.replay-state .task-card[data-step="${step}"]`)?.getAttribute('data-status')

describe('ReplayView', () => {
  it('moves over the events with the slider, the buttons and the arrow keys', async () => {
    const fake = createFakeServices({
      '/pipelines/p1': replayDetail(run),
      '/pipelines/p1/events?after=0&limit=1000': { events: run, next: null },
    })
    renderWith(fake.services, () => <ReplayView id="p1" at={null} />)
    await waitFor(() => expect(stepStatus(0)).toBe('succeeded'))
    expect(screen.getByText(`${run.length} / ${run.length}`)).toBeTruthy()

    fireEvent.input(screen.getByRole('slider'), { target: { value: '5' } })
    await waitFor(() => expect(stepStatus(0)).toBe('running'))
    expect(document.querySelector('.event-panel .event-type')?.textContent).toBe('UnitProgressed')
    expect(document.querySelector('.replay-state')?.getAttribute('data-at')).toBe('5')

    fireEvent.click(screen.getByLabelText('Previous event'))
    await waitFor(() =>
      expect(document.querySelector('.event-panel .event-type')?.textContent).toBe('UnitStarted'),
    )

    fireEvent.keyDown(window, { key: 'ArrowRight', shiftKey: true })
    await waitFor(() =>
      expect(document.querySelector('.replay-state')?.getAttribute('data-at')).toBe(String(run.length)),
    )
    fireEvent.keyDown(window, { key: 'Home' })
    await waitFor(() =>
      expect(document.querySelector('.event-panel .event-type')?.textContent).toBe('PipelineSubmitted'),
    )
    expect(stepStatus(0)).toBe('pending')
    expect(window.location.hash).toBe('#/pipelines/p1/replay?at=1')
  })
})
