import { LearnModelDocument, type PipelineDetail, type TaskDetail } from '../core/domain/index.ts'
import { type ApiClient, EXIT } from './client.ts'
import { elapsedMs, formatDuration } from './progress-text.ts'

/** LEARN's result in words: held-out accuracy, or test mse against the baseline. */
export function describeModel(model: LearnModelDocument): string {
  const test = model.metrics.test
  const result =
    test === null
      ? `no test split (${model.reason ?? 'too few utterances'})`
      : 'accuracy' in test
        ? `held-out utterance accuracy ${(test.accuracy * 100).toFixed(1)} %`
        : `test mse ${test.mse.toFixed(4)} (baseline ${test.baselineMse.toFixed(4)})`
  return `${model.task} over ${model.labels.join(', ')} on ${model.backend}, ${model.metrics.epochs.length} epochs: ${result}`
}

/** Reads a LEARN step's model document, or null when the output is not one. */
export async function readModel(client: ApiClient, cid: string): Promise<LearnModelDocument | null> {
  const response = await client.send('GET', `/blobs/${cid}`)
  let doc: unknown
  try {
    doc = JSON.parse(response.text())
  } catch {
    return null
  }
  const parsed = LearnModelDocument.safeParse(doc)
  return parsed.success ? parsed.data : null
}

async function summarizeStep(client: ApiClient, task: TaskDetail): Promise<string> {
  const elapsed = elapsedMs(task, Date.now())
  const parts = [task.cacheHit ? 'cached' : elapsed !== null ? formatDuration(elapsed) : '']
  if (task.status === 'succeeded' && task.call === 'LEARN' && task.output) {
    const model = await readModel(client, task.output)
    if (model) parts.push(describeModel(model))
  }
  if (task.error) parts.push(task.error)
  // A graph step also shows its id, so two models of one graph read side by side.
  const name = task.id ? `${task.call} ${task.id}` : task.call
  return `  ${String(task.index).padStart(2)} ${name.padEnd(16)} ${task.status.padEnd(9)} ${parts.filter(Boolean).join(', ')}`
}

/** Prints one line per step (LEARN with its accuracy) and how the pipeline ended; returns the exit code of SPEC §9. */
export async function reportOutcome(client: ApiClient, detail: PipelineDetail): Promise<number> {
  const lines = await Promise.all(detail.tasks.map((task) => summarizeStep(client, task)))
  process.stdout.write(
    [
      ...lines,
      `${detail.id} ${detail.status}${detail.output ? ` output ${detail.output}` : ''}${detail.error ? `: ${detail.error}` : ''}`,
    ].join('\n') + '\n',
  )
  return detail.status === 'succeeded' ? EXIT.ok : EXIT.failed
}
