// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@solidjs/testing-library'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ModelDocument } from '../../api/model-document.ts'
import { createFakeServices } from '../../testing/fake-services.ts'
import { renderWith } from '../../testing/render-with.tsx'
import { TrainingView } from './training-view.tsx'

// jsdom has no canvas: a stand-in uPlot records what it was asked to draw, and where.
const charts = vi.hoisted(
  () => [] as { series: (string | undefined)[]; data: unknown[]; target: HTMLElement }[],
)
vi.mock('./load-uplot.ts', () => ({
  loadUPlot: async () =>
    class {
      constructor(options: { series: { label?: string }[] }, data: unknown[], target: HTMLElement) {
        charts.push({ series: options.series.map((s) => s.label), data, target })
        target.appendChild(document.createElement('canvas'))
      }
      setSize() {}
      destroy() {}
    },
}))

afterEach(() => {
  cleanup()
  charts.length = 0
})

const model: ModelDocument = {
  kind: 'banzai.model/1',
  task: 'classifier',
  backend: 'wasm',
  labels: ['awb', 'slt'],
  metrics: {
    epochs: [
      { loss: 1.2, valLoss: 1.3, acc: 0.5, valAcc: 0.45 },
      { loss: 0.8, valLoss: 0.9, acc: 0.7, valAcc: 0.66 },
      { loss: 0.5, valLoss: 0.7, acc: 0.85, valAcc: 0.8 },
    ],
    test: {
      accuracy: 0.9,
      confusion: [
        [9, 1],
        [1, 9],
      ],
      frameAccuracy: 0.82,
      recordings: 20,
    },
  },
}

describe('TrainingView', () => {
  it('draws loss and accuracy per epoch in chart containers', async () => {
    const fake = createFakeServices({})
    renderWith(fake.services, () => <TrainingView cid="bafy" model={model} />)
    await waitFor(() => expect(charts).toHaveLength(2))
    expect(charts[0]?.series).toEqual(['epoch', 'loss', 'validation loss'])
    expect(charts[0]?.data).toEqual([
      [1, 2, 3],
      [1.2, 0.8, 0.5],
      [1.3, 0.9, 0.7],
    ])
    expect(charts[1]?.series).toEqual(['epoch', 'accuracy', 'validation accuracy'])
    expect(charts[0]?.target.classList.contains('chart-container')).toBe(true)
    expect(document.querySelectorAll('.chart-container canvas')).toHaveLength(2)
  })

  it('shows the test metrics and the confusion matrix', () => {
    const fake = createFakeServices({})
    renderWith(fake.services, () => <TrainingView cid="bafy" model={model} />)
    expect(screen.getByText('90.0%')).toBeTruthy()
    const table = screen.getByLabelText('Confusion matrix')
    expect([...table.querySelectorAll('tbody td')].map((td) => td.textContent)).toEqual(['9', '1', '1', '9'])
    expect(table.textContent).toContain('slt')
  })

  it('shows an autoencoder test and a missing test split', () => {
    const fake = createFakeServices({})
    const auto: ModelDocument = {
      ...model,
      task: 'autoencoder',
      labels: [],
      metrics: { epochs: [{ loss: 1, valLoss: null }], test: { mse: 0.25, baselineMse: 1 } },
    }
    renderWith(fake.services, () => <TrainingView cid="bafy" model={auto} />)
    expect(screen.getByText('0.2500')).toBeTruthy()
    cleanup()
    renderWith(fake.services, () => (
      <TrainingView
        cid="bafy"
        model={{ ...auto, reason: 'fewer than 3 utterance ids', metrics: { epochs: [], test: null } }}
      />
    ))
    expect(screen.getByText(/fewer than 3 utterance ids/)).toBeTruthy()
  })
})
