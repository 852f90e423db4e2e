import {
  CacheInfo,
  catalogue,
  LogPage,
  parsePipelineDocument,
  PipelineDetail,
  type TaskLogLine,
  TaskList,
  ValidationError,
  WorkerList,
} from '../../core/domain/index.ts'
import type { ApiClient } from '../client.ts'
import { openClient, printJson, readDocument } from './open-client.ts'

type Flags = Record<string, unknown>

function stepOf(step: string): number {
  const n = Number(step)
  if (!Number.isInteger(n) || n < 0 || step.trim() === '')
    throw new ValidationError(`STEP must be a step index (0, 1, …), got ${JSON.stringify(step)}`)
  return n
}

async function readLogs(client: ApiClient, id: string, step: number): Promise<TaskLogLine[]> {
  const lines: TaskLogLine[] = []
  let cursor = 0
  for (;;) {
    const page = await client.call(
      LogPage,
      'GET',
      `/pipelines/${encodeURIComponent(id)}/tasks/${step}/logs?after=${cursor}&limit=1000`,
    )
    lines.push(...page.lines)
    if (page.next === null) return lines
    cursor = page.next
  }
}

/**
 * `banzai logs ID [STEP] [--follow] [--json]`: a step's log lines (every step's without STEP);
 * with --follow, new lines until the pipeline ends. --json: the LogPage, or with --follow one line record per line.
 */
export async function printLogs(id: string, step: string | undefined, flags: Flags): Promise<void> {
  const client = openClient(flags)
  const seen = new Map<number, number>()
  for (;;) {
    const detail = await client.call(PipelineDetail, 'GET', `/pipelines/${encodeURIComponent(id)}`)
    const steps = step === undefined ? detail.tasks.map((t) => t.index) : [stepOf(step)]
    const ended = !['queued', 'running'].includes(detail.status)
    const all: TaskLogLine[] = []
    for (const s of steps) {
      const call = detail.tasks[s]?.call ?? '?'
      const lines = await readLogs(client, id, s)
      const fresh = lines.slice(seen.get(s) ?? 0)
      seen.set(s, lines.length)
      all.push(...fresh)
      if (flags.json === true && flags.follow === true)
        fresh.forEach((line) => printJson({ step: s, ...line }))
      else if (flags.json !== true)
        for (const line of fresh)
          console.log(`${line.at} ${String(s)} ${call} ${line.level.padEnd(5)} ${line.msg}`)
    }
    if (flags.json === true && flags.follow !== true) return printJson({ lines: all, next: null })
    if (flags.follow !== true || ended) return
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/** `banzai workers [--json]`: the live workers (SPEC §7 `GET /workers`). */
export async function printWorkers(flags: Flags): Promise<void> {
  const list = await openClient(flags).call(WorkerList, 'GET', '/workers')
  if (flags.json === true) return printJson(list)
  if (list.workers.length === 0) return void console.log('no workers')
  for (const w of list.workers)
    console.log(
      `${w.id}  ${w.host} pid ${w.pid}  lanes ${w.lanes.join(',')}  ${w.inFlight.length}/${w.slots} busy  last heartbeat ${w.lastHeartbeat}`,
    )
}

/** `banzai tasks [--json]`: the task catalogue with each task's arguments and docs. */
export async function printTasks(flags: Flags): Promise<void> {
  const list = await openClient(flags).call(TaskList, 'GET', '/tasks')
  if (flags.json === true) return printJson(list)
  for (const t of list.tasks) {
    const args = t.args.map((a) => `${a.rest ? '...' : ''}${a.name}${a.optional ? '?' : ''}`).join(', ')
    console.log(`${t.name}(${args})  v${t.version}, lane ${t.lane}${t.perItem ? ', per item' : ''}`)
    console.log(`    ${t.doc}`)
    for (const a of t.args) console.log(`    ${a.name}: ${a.doc}`)
  }
}

/** `banzai cache explain ID STEP [--json]`: the memo key parts of a step, and for a miss what differed. */
export async function explainCache(id: string, step: string, flags: Flags): Promise<void> {
  const info = await openClient(flags).call(
    CacheInfo,
    'GET',
    `/pipelines/${encodeURIComponent(id)}/tasks/${stepOf(step)}/cache`,
  )
  if (flags.json === true) return printJson(info)
  console.log(`step ${info.step}: ${info.status}${info.key ? ` (key ${info.key})` : ''}`)
  if (info.parts)
    console.log(
      `  call ${info.parts.call} v${info.parts.version}, args ${JSON.stringify(info.parts.args)}, input ${info.parts.input ?? 'none'}`,
    )
  if (info.from) console.log(`  output from pipeline ${info.from.pipelineId} step ${info.from.step}`)
  if (info.nearest)
    console.log(
      `  nearest earlier run: pipeline ${info.nearest.pipelineId} step ${info.nearest.step}; differs in ${info.nearest.differs.join(', ') || 'nothing'}`,
    )
  else if (info.status === 'miss') console.log('  no earlier run of this task to compare with')
}

/** `banzai validate FILE [--json]`: checks a pipeline document against the catalogue, offline; exit 2 when invalid. */
export function validateDocument(file: string, flags: Flags): void {
  const spec = parsePipelineDocument(readDocument(file), catalogue)
  if (flags.json === true) return printJson(spec)
  console.log(`${file}: valid, ${spec.tasks.length} task(s): ${spec.tasks.map((t) => t.call).join(' → ')}`)
}
