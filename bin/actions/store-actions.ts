import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ValidationError } from '../../core/domain/index.ts'
import { collectGarbage, EventLog, MemoTable, openDatabase, PipelineTable } from '../../core/monitor/index.ts'
import { resolveSettings } from '../settings.ts'
import { openStore } from '../wiring/open-store.ts'

type Flags = Record<string, unknown>

function openDataDb(data: string) {
  const file = join(resolve(data), 'banzai.db')
  if (!existsSync(file)) throw new ValidationError(`no Banzai data in ${data} (${file} does not exist)`)
  return openDatabase(file)
}

/** `banzai cache clear [--task NAME]`: forgets memoized results. */
export function clearCache(flags: Flags): void {
  const settings = resolveSettings(flags)
  const db = openDataDb(settings.data)
  const task = typeof flags.task === 'string' ? flags.task : undefined
  const { steps, items } = new MemoTable(db).clear(task)
  db.close()
  console.log(`forgot ${steps} step result(s) and ${items} item result(s)${task ? ` of ${task}` : ''}`)
}

/** `banzai gc [--max-bytes N]`: removes unreferenced blobs. */
export async function collectBlobs(flags: Flags): Promise<void> {
  const settings = resolveSettings(flags)
  const maxBytes = flags.maxBytes === undefined ? undefined : Number(flags.maxBytes)
  if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes >= 0))
    throw new ValidationError(
      `--max-bytes must be a whole number of bytes, got ${JSON.stringify(flags.maxBytes)}`,
    )
  const db = openDataDb(settings.data)
  const store = await openStore(settings)
  try {
    const report = await collectGarbage(
      new EventLog(db),
      new PipelineTable(db),
      store,
      maxBytes === undefined ? {} : { maxBytes },
    )
    console.log(
      `removed ${report.removed} blob(s) (${report.removedBytes} bytes); kept ${report.kept} (${report.keptBytes} bytes), ${report.referenced} referenced`,
    )
  } finally {
    await store.close()
    db.close()
  }
}
