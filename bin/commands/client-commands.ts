import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { PipelineDetail, PipelineSummary, StoredEvent } from '../../core/domain/index.ts'
import { ValidationError } from '../../core/domain/index.ts'
import { ApiClient, EXIT } from '../client.ts'
import { withSettings } from '../command-options.ts'
import { followPipeline } from '../follow.ts'
import { resolveSettings } from '../settings.ts'

function clientOf(flags: Record<string, unknown>): ApiClient {
  const settings = resolveSettings(flags)
  return new ApiClient(settings.monitor, settings.token)
}

function readDocument(file: string): unknown {
  let text: string
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8')
  } catch (error) {
    throw new ValidationError(`cannot read ${file}: ${(error as Error).message}`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new ValidationError(`${file} is not JSON: ${(error as Error).message}`)
  }
}

/** Prints how a pipeline ended and returns the exit code of SPEC §9. */
export function reportOutcome(detail: PipelineDetail): number {
  console.log(
    `${detail.id} ${detail.status}${detail.output ? ` output ${detail.output}` : ''}${detail.error ? `: ${detail.error}` : ''}`,
  )
  return detail.status === 'succeeded' ? EXIT.ok : EXIT.failed
}

function printSummaries(items: PipelineSummary[]): void {
  for (const p of items) {
    console.log(
      `${p.id}  ${p.status.padEnd(9)}  step ${p.step + 1}/${p.steps}  ${String(Math.round(p.progress * 100)).padStart(3)}%  ${p.createdAt}  ${p.name}`,
    )
  }
}

/** The finished pipelines last updated before `iso`, read page by page. */
async function endedBefore(client: ApiClient, iso: string): Promise<string[]> {
  const out: string[] = []
  for (const status of ['succeeded', 'failed', 'cancelled']) {
    let after: string | null = null
    do {
      const query: string = `/pipelines?status=${status}&limit=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`
      const page = await client.call<{ items: PipelineSummary[]; next: string | null }>('GET', query)
      for (const p of page.items) if (p.updatedAt < iso) out.push(p.id)
      after = page.next
    } while (after !== null)
  }
  return out
}

/** `banzai run`, `status`, `events`, `cancel`, `retry`: clients of the REST API. */
export function registerClientCommands(program: Command): void {
  withSettings(
    program
      .command('run <file>')
      .description(
        'submits a pipeline document (- for stdin); with --follow, waits and exits with its outcome',
      ),
    'run',
  )
    .option('--follow', 'show progress until the pipeline ends; exit 0 on success, 1 otherwise')
    .action(async (file: string, flags: Record<string, unknown>) => {
      const client = clientOf(flags)
      const detail = await client.call<PipelineDetail>('POST', '/pipelines', readDocument(file))
      console.log(`submitted ${detail.id}`)
      for (const t of detail.tasks)
        if (t.waiting) console.error(`banzai: task ${t.index} (${t.call}): ${t.waiting}`)
      if (flags.follow) process.exitCode = reportOutcome(await followPipeline(client, detail.id))
    })

  withSettings(program.command('status [id]').description('lists pipelines, or shows one'), 'status').action(
    async (id: string | undefined, flags: Record<string, unknown>) => {
      const client = clientOf(flags)
      if (!id) {
        printSummaries((await client.call<{ items: PipelineSummary[] }>('GET', '/pipelines?limit=50')).items)
        return
      }
      const detail = await client.call<PipelineDetail>('GET', `/pipelines/${encodeURIComponent(id)}`)
      console.log(`${detail.id} ${detail.name}: ${detail.status}${detail.error ? ` — ${detail.error}` : ''}`)
      for (const t of detail.tasks) {
        const p = t.progress ? ` ${t.progress.done}/${t.progress.total} ${t.progress.unit}` : ''
        console.log(
          `  ${t.index} ${t.call.padEnd(14)} ${t.status.padEnd(9)} attempt ${t.attempt}${p}${t.cacheHit ? ' cached' : ''}${t.output ? ` ${t.output}` : ''}${t.error ? ` — ${t.error}` : ''}${t.waiting ? ` — ${t.waiting}` : ''}`,
        )
      }
    },
  )

  withSettings(
    program.command('events <id>').description("prints a pipeline's events, one JSON per line"),
    'events',
  ).action(async (id: string, flags: Record<string, unknown>) => {
    const client = clientOf(flags)
    let after = 0
    for (;;) {
      const page = await client.call<{ events: StoredEvent[]; next: number | null }>(
        'GET',
        `/pipelines/${encodeURIComponent(id)}/events?after=${after}&limit=1000`,
      )
      for (const e of page.events) console.log(JSON.stringify(e))
      if (page.next === null) return
      after = page.next
    }
  })

  withSettings(
    program
      .command('delete [id]')
      .description(
        'deletes a finished pipeline (or every one that ended before --before): frees its blobs at the next gc',
      ),
    'delete',
  )
    .option('--before <date>', 'every finished pipeline last updated before this ISO date')
    .action(async (id: string | undefined, flags: Record<string, unknown>) => {
      const client = clientOf(flags)
      const before = typeof flags.before === 'string' ? flags.before : undefined
      if ((id === undefined) === (before === undefined))
        throw new ValidationError('give a pipeline id or --before DATE, not both')
      if (before !== undefined && Number.isNaN(Date.parse(before)))
        throw new ValidationError(
          `--before must be an ISO date (e.g. 2026-01-31), got ${JSON.stringify(before)}`,
        )
      const ids =
        id !== undefined ? [id] : await endedBefore(client, new Date(Date.parse(before!)).toISOString())
      for (const each of ids) {
        await client.call('DELETE', `/pipelines/${encodeURIComponent(each)}`)
        console.log(`deleted ${each}`)
      }
      if (ids.length === 0) console.log('no finished pipeline ended before that date')
    })

  withSettings(program.command('cancel <id>').description('cancels a pipeline'), 'cancel').action(
    async (id: string, flags: Record<string, unknown>) => {
      await clientOf(flags).call('POST', `/pipelines/${encodeURIComponent(id)}/cancel`)
      console.log(`cancelled ${id}`)
    },
  )

  withSettings(
    program
      .command('retry <id>')
      .description('submits a finished pipeline again (succeeded steps become cache hits)'),
    'retry',
  )
    .option('--follow', 'show progress until the new pipeline ends')
    .action(async (id: string, flags: Record<string, unknown>) => {
      const client = clientOf(flags)
      const detail = await client.call<PipelineDetail>('POST', `/pipelines/${encodeURIComponent(id)}/retry`)
      console.log(`submitted ${detail.id} (retry of ${id})`)
      if (flags.follow) process.exitCode = reportOutcome(await followPipeline(client, detail.id))
    })
}
