import { Show } from 'solid-js'
import type { ModelDocument } from '../../api/model-document.ts'
import { formatPercent } from '../../format/quantity.ts'
import { ConfusionMatrix } from './confusion-matrix.tsx'
import { EpochChart } from './epoch-chart.tsx'

type Test = NonNullable<ModelDocument['metrics']['test']>
type ClassifierTest = Extract<Test, { accuracy: number }>

function isClassifierTest(test: Test): test is ClassifierTest {
  return 'accuracy' in test
}

/** LEARN's output: loss and accuracy per epoch as charts, test metrics, the confusion matrix. */
export function TrainingView(props: { cid: string; model: ModelDocument }) {
  const epochs = () => props.model.metrics.epochs
  const hasAccuracy = () => epochs().some((e) => typeof e.acc === 'number')
  const test = () => props.model.metrics.test
  const classifier = (): ClassifierTest | null => {
    const t = test()
    return t && isClassifierTest(t) ? t : null
  }
  const autoencoder = (): Exclude<Test, ClassifierTest> | null => {
    const t = test()
    return t && !isClassifierTest(t) ? t : null
  }
  return (
    <section class="view training">
      <header class="view-header">
        <h1>Training</h1>
        <span class="muted">
          {props.model.task} · {props.model.backend} · {epochs().length} epochs · labels:{' '}
          {props.model.labels.join(', ') || '—'}
        </span>
      </header>
      <div class="charts">
        <EpochChart
          title="Loss"
          yLabel="loss"
          series={[
            { label: 'loss', values: epochs().map((e) => e.loss), color: '#2563eb' },
            {
              label: 'validation loss',
              values: epochs().map((e) => e.valLoss),
              color: '#ea580c',
              dash: [6, 4],
            },
          ]}
        />
        <Show when={hasAccuracy()}>
          <EpochChart
            title="Frame accuracy"
            yLabel="accuracy"
            series={[
              { label: 'accuracy', values: epochs().map((e) => e.acc ?? null), color: '#16a34a' },
              {
                label: 'validation accuracy',
                values: epochs().map((e) => e.valAcc ?? null),
                color: '#9333ea',
                dash: [6, 4],
              },
            ]}
          />
        </Show>
      </div>
      <h2>Test</h2>
      <Show when={test() === null}>
        <p class="muted">No test split{props.model.reason ? `: ${props.model.reason}` : '.'}</p>
      </Show>
      <Show when={autoencoder()}>
        {(a) => (
          <dl class="facts test-metrics">
            <div>
              <dt>Test MSE</dt>
              <dd class="big">{a().mse.toFixed(4)}</dd>
            </div>
            <div>
              <dt>Baseline MSE (predict the mean)</dt>
              <dd>{a().baselineMse.toFixed(4)}</dd>
            </div>
          </dl>
        )}
      </Show>
      <Show when={classifier()}>
        {(c) => (
          <>
            <dl class="facts test-metrics">
              <div>
                <dt>Accuracy (per recording)</dt>
                <dd class="big">{formatPercent(c().accuracy, 1)}</dd>
              </div>
              <Show when={c().frameAccuracy !== undefined}>
                <div>
                  <dt>Frame accuracy</dt>
                  <dd>{formatPercent(c().frameAccuracy ?? 0, 1)}</dd>
                </div>
              </Show>
              <Show when={c().recordings !== undefined}>
                <div>
                  <dt>Test recordings</dt>
                  <dd>{c().recordings}</dd>
                </div>
              </Show>
            </dl>
            <ConfusionMatrix labels={props.model.labels} confusion={c().confusion} />
          </>
        )}
      </Show>
    </section>
  )
}
