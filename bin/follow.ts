import type { MultiBar, SingleBar } from 'cli-progress'
import { isEnded, LogPage, PipelineDetail } from '../core/domain/index.ts'
import type { ApiClient } from './client.ts'
import { stepLabel } from './follow-graph.ts'
import { barFraction, describeTask } from './progress-text.ts'

const BAR_STEPS = 1000
/** Lines of a failed step's log shown under it. */
const LOG_TAIL = 5

/** The last `count` lines of a step's log, as `level msg`. */
export async function logTail(
  client: ApiClient,
  id: string,
  step: number,
  count = LOG_TAIL,
): Promise<string[]> {
  const tail: string[] = []
  let after = 0
  for (;;) {
    const page = await client.call(
      LogPage,
      'GET',
      `/pipelines/${encodeURIComponent(id)}/tasks/${step}/logs?after=${after}&limit=1000`,
    )
    for (const line of page.lines) tail.push(`${line.level} ${line.msg}`)
    tail.splice(0, Math.max(0, tail.length - count))
    if (page.next === null) return tail
    after = page.next
  }
}

/** How to keep watching a pipeline from another command, for when the user stops following it. */
export function followHint(id: string): string {
  return `pipeline ${id} goes on. Follow it with \`banzai status ${id} --watch\` or \`banzai events ${id} --follow\`; stop it with \`banzai cancel ${id}\`.`
}

/**
 * Follows a pipeline until it ends, polling its detail a few times per second: progress bars
 * with elapsed time and ETA on a terminal, one line per change otherwise, or (json) one
 * PipelineDetail document per change. A failed step's line is followed by its last log lines.
 * Ctrl-C stops following (the pipeline goes on), restores the cursor and says how to go on; with
 * `interruptHint` it prints that instead and returns the detail as it was, so the caller can clean up.
 */
export async function followPipeline(
  client: ApiClient,
  id: string,
  options: { json?: boolean; output?: NodeJS.WriteStream; interruptHint?: string } = {},
): Promise<PipelineDetail> {
  const output = options.output ?? process.stdout
  // The bar library loads only when there is a terminal to draw on.
  const cliProgress = output.isTTY === true && !options.json ? (await import('cli-progress')).default : null
  const bars: MultiBar | null = cliProgress
    ? new cliProgress.MultiBar(
        {
          format: ' {bar} {pct}% | {name} {info}',
          hideCursor: true,
          clearOnComplete: false,
          stream: output,
        },
        cliProgress.Presets.shades_classic,
      )
    : null
  let interrupted = false
  const onInterrupt = (): void => {
    bars?.stop()
    output.write('\x1b[?25h')
    process.stderr.write(`\nbanzai: stopped following; ${options.interruptHint ?? followHint(id)}\n`)
    process.exitCode = 130
    interrupted = true
    if (options.interruptHint === undefined) process.exit(130)
  }
  process.once('SIGINT', onInterrupt)
  const rows = new Map<number, SingleBar>()
  const last = new Map<number, string>()
  const failedShown = new Set<number>()
  let lastJson = ''
  try {
    for (;;) {
      const detail = await client.call(PipelineDetail, 'GET', `/pipelines/${encodeURIComponent(id)}`)
      const now = Date.now()
      if (options.json) {
        const text = JSON.stringify(detail)
        if (text !== lastJson) output.write(`${text}\n`)
        lastJson = text
      } else {
        for (const task of detail.tasks) {
          const info = describeTask(task, now)
          const fraction = barFraction(task)
          const payload = {
            name: stepLabel(task, detail.tasks),
            info,
            pct: String(Math.floor(fraction * 100)).padStart(3),
          }
          if (bars) {
            const bar = rows.get(task.index) ?? bars.create(BAR_STEPS, 0, payload)
            rows.set(task.index, bar)
            bar.update(Math.round(fraction * BAR_STEPS), payload)
          } else if (last.get(task.index) !== describeTask(task, now, false)) {
            // One line per change of state or amount, not per tick of the clock.
            last.set(task.index, describeTask(task, now, false))
            output.write(`${id} ${stepLabel(task, detail.tasks)} ${info}\n`)
          }
        }
      }
      const ended = isEnded(detail.status)
      if (ended) bars?.stop()
      if (!options.json) {
        for (const task of detail.tasks) {
          if (task.status !== 'failed' || failedShown.has(task.index) || (bars && !ended)) continue
          failedShown.add(task.index)
          const tail = await logTail(client, id, task.index)
          if (tail.length === 0) continue
          output.write(`  last log lines of step ${task.index} ${task.call}:\n`)
          for (const line of tail) output.write(`    ${line}\n`)
        }
      }
      if (ended || interrupted) return detail
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt)
  }
}
