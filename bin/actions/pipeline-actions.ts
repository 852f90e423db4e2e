import {
  DeletedAnswer,
  EventPage,
  FINAL_EVENTS,
  PipelineDetail,
  type PipelineSummary,
  SummaryPage,
  type StoredEvent,
  ValidationError,
} from '../../core/domain/index.ts'
import type { ApiClient } from '../client.ts'
import { followPipeline } from '../follow.ts'
import { reportOutcome } from '../outcome.ts'
import { describeTask } from '../progress-text.ts'
import { openClient, printJson, readDocument } from './open-client.ts'

type Flags = Record<string, unknown>

function pipelinePath(id: string): string {
  return `/pipelines/${encodeURIComponent(id)}`
}

async function followAndReport(client: ApiClient, id: string, flags: Flags): Promise<number> {
  const detail = await followPipeline(client, id, { json: flags.json === true })
  if (flags.json === true) return detail.status === 'succeeded' ? 0 : 1
  return reportOutcome(client, detail)
}

/** `banzai run FILE [--follow] [--json]`. */
export async function runPipeline(file: string, flags: Flags): Promise<void> {
  const client = openClient(flags)
  const detail = await client.call(PipelineDetail, 'POST', '/pipelines', readDocument(file))
  if (flags.json === true && flags.follow !== true) return printJson(detail)
  if (flags.json !== true) console.log(`submitted ${detail.id}`)
  for (const t of detail.tasks)
    if (t.waiting) console.error(`banzai: task ${t.index} (${t.call}): ${t.waiting}`)
  if (flags.follow === true) process.exitCode = await followAndReport(client, detail.id, flags)
}

/** The finished pipelines last updated before `iso`, read page by page. */
async function endedBefore(client: ApiClient, iso: string): Promise<string[]> {
  const out: string[] = []
  for (const status of ['succeeded', 'failed', 'cancelled']) {
    let after: string | null = null
    do {
      const query = `/pipelines?status=${status}&limit=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`
      const page: SummaryPage = await client.call(SummaryPage, 'GET', query)
      for (const p of page.items) if (p.updatedAt < iso) out.push(p.id)
      after = page.next
    } while (after !== null)
  }
  return out
}

/** `banzai delete ID | --before DATE [--json]`: records `PipelineDeleted`; blobs are freed at the next gc. */
export async function deletePipelines(id: string | undefined, flags: Flags): Promise<void> {
  const client = openClient(flags)
  const before = typeof flags.before === 'string' ? flags.before : undefined
  if ((id === undefined) === (before === undefined))
    throw new ValidationError('give a pipeline id or --before DATE, not both')
  if (before !== undefined && Number.isNaN(Date.parse(before)))
    throw new ValidationError(`--before must be an ISO date (e.g. 2026-01-31), got ${JSON.stringify(before)}`)
  const ids =
    id !== undefined ? [id] : await endedBefore(client, new Date(Date.parse(before ?? '')).toISOString())
  const deleted: DeletedAnswer[] = []
  for (const each of ids) {
    deleted.push(await client.call(DeletedAnswer, 'DELETE', pipelinePath(each)))
    if (flags.json !== true) console.log(`deleted ${each}`)
  }
  if (flags.json === true) printJson({ items: deleted })
  else if (ids.length === 0) console.log('no finished pipeline ended before that date')
}

/** `banzai retry ID [--follow] [--json]`. */
export async function retryPipeline(id: string, flags: Flags): Promise<void> {
  const client = openClient(flags)
  const detail = await client.call(PipelineDetail, 'POST', `${pipelinePath(id)}/retry`)
  if (flags.json === true && flags.follow !== true) return printJson(detail)
  if (flags.json !== true) console.log(`submitted ${detail.id} (retry of ${id})`)
  if (flags.follow === true) process.exitCode = await followAndReport(client, detail.id, flags)
}

/** `banzai cancel ID [--json]`. */
export async function cancelPipeline(id: string, flags: Flags): Promise<void> {
  const detail = await openClient(flags).call(PipelineDetail, 'POST', `${pipelinePath(id)}/cancel`)
  if (flags.json === true) printJson(detail)
  else console.log(`cancelled ${id}`)
}

function summaryLines(items: PipelineSummary[]): string[] {
  return items.map(
    (p) =>
      `${p.id}  ${p.status.padEnd(9)}  step ${p.step + 1}/${p.steps}  ${String(Math.round(p.progress * 100)).padStart(3)}%  ${p.createdAt}  ${p.name}`,
  )
}

function detailLines(detail: PipelineDetail): string[] {
  const now = Date.now()
  return [
    `${detail.id} ${detail.name}: ${detail.status}${detail.error ? ` — ${detail.error}` : ''}`,
    ...detail.tasks.map(
      (t) =>
        `  ${t.index} ${t.call.padEnd(14)} ${describeTask(t, now)}${t.attempt > 1 ? ` (attempt ${t.attempt})` : ''}${t.output ? ` → ${t.output}` : ''}${t.waiting ? ` — ${t.waiting}` : ''}`,
    ),
  ]
}

/** `banzai status [ID] [--json] [--watch]`: the list (SPEC §7 SummaryPage) or one pipeline (PipelineDetail). */
export async function showStatus(id: string | undefined, flags: Flags): Promise<void> {
  const client = openClient(flags)
  const read = async (): Promise<{ doc: SummaryPage | PipelineDetail; lines: string[]; ended: boolean }> => {
    if (id === undefined) {
      const page = await client.call(SummaryPage, 'GET', '/pipelines?limit=50')
      return { doc: page, lines: summaryLines(page.items), ended: false }
    }
    const detail = await client.call(PipelineDetail, 'GET', pipelinePath(id))
    return { doc: detail, lines: detailLines(detail), ended: !['queued', 'running'].includes(detail.status) }
  }
  let previous = ''
  for (;;) {
    const { doc, lines, ended } = await read()
    const text = flags.json === true ? JSON.stringify(doc) : lines.join('\n')
    if (flags.watch !== true) return void console.log(text)
    if (text !== previous) {
      // On a terminal the view is redrawn in place; otherwise each change is printed once.
      if (process.stdout.isTTY) process.stdout.write('\x1b[H\x1b[2J')
      console.log(text)
    }
    previous = text
    if (ended) return
    await new Promise((resolve) => setTimeout(resolve, 1_000))
  }
}

/** `banzai events ID [--follow]`: the pipeline's events, one JSON record per line; with --follow until it ends. */
export async function printEvents(id: string, flags: Flags): Promise<void> {
  const client = openClient(flags)
  let after = 0
  let ended = false
  for (;;) {
    const page = await client.call(EventPage, 'GET', `${pipelinePath(id)}/events?after=${after}&limit=1000`)
    for (const e of page.events) {
      printJson(e satisfies StoredEvent)
      after = e.pipelineSeq
      if (FINAL_EVENTS.has(e.type)) ended = true
    }
    if (page.next !== null) continue
    if (flags.follow !== true || ended) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
