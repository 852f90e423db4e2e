import cliProgress from 'cli-progress'
import { isEnded, type PipelineDetail } from '../core/domain/index.ts'
import type { ApiClient } from './client.ts'

function describe(task: PipelineDetail['tasks'][number]): string {
  const p = task.progress
  const amount = p && p.total > 0 ? ` ${p.done}/${p.total} ${p.unit}` : ''
  const shards = task.shards.total > 1 ? ` shards ${task.shards.succeeded}/${task.shards.total}` : ''
  const cached = task.cacheHit ? ' (cached)' : ''
  return `${task.status}${amount}${shards}${cached}${task.error ? ` — ${task.error}` : ''}`
}

/**
 * Follows a pipeline until it ends: progress bars on a terminal, plain lines (one per change)
 * otherwise. Polls the detail route a few times per second.
 */
export async function followPipeline(
  client: ApiClient,
  id: string,
  output: NodeJS.WriteStream = process.stdout,
): Promise<PipelineDetail> {
  const isTty = output.isTTY === true
  const bars = isTty
    ? new cliProgress.MultiBar(
        {
          format: ' {bar} {percentage}% | {name} {info}',
          hideCursor: true,
          clearOnComplete: false,
          stream: output,
        },
        cliProgress.Presets.shades_classic,
      )
    : null
  const rows = new Map<number, cliProgress.SingleBar>()
  const last = new Map<number, string>()
  for (;;) {
    const detail = await client.call<PipelineDetail>('GET', `/pipelines/${id}`)
    for (const task of detail.tasks) {
      const info = describe(task)
      const name = `${task.index} ${task.call}`.padEnd(18)
      if (bars) {
        const p = task.progress
        const total = task.status === 'succeeded' ? 1 : p && p.total > 0 ? p.total : 1
        const value = task.status === 'succeeded' ? 1 : p ? p.done : 0
        const bar = rows.get(task.index) ?? bars.create(total, value, { name, info })
        rows.set(task.index, bar)
        bar.setTotal(total)
        bar.update(value, { name, info })
      } else if (last.get(task.index) !== info) {
        last.set(task.index, info)
        output.write(`${id} ${name} ${info}\n`)
      }
    }
    if (isEnded(detail.status)) {
      bars?.stop()
      return detail
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
