import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { catalogue, DEFAULT_RETRY_POLICY, parsePipelineDocument, replayDetail } from '../domain/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'
import { EventLog } from './event-log.ts'
import { checkIntegrity } from './replay.ts'
import { CHECKPOINT_EVERY, PipelineTable } from './pipeline-table.ts'
import { openDatabase } from './sqlite/open-database.ts'

// Snapshot rows of running pipelines are written at status changes and then at most every second
// (SnapshotSchedule); a restart replays each live pipeline's events after its row.
let env: InProcess | undefined
const dirs: string[] = []
afterEach(async () => {
  await env?.stop()
  env = undefined
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const folder = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'banzai-tail-'))
  dirs.push(dir)
  return dir
}

type RawRow = Record<string, unknown>
const readRow = (dir: string, id: string): RawRow => {
  const db = openDatabase(join(dir, 'banzai.db'))
  const row = db.prepare<[string], RawRow>('SELECT * FROM pipelines WHERE id = ?').get(id)!
  db.close()
  return row
}
const writeRow = (dir: string, row: RawRow): void => {
  const db = openDatabase(join(dir, 'banzai.db'))
  const columns = Object.keys(row)
  db.prepare(`UPDATE pipelines SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(row)
  db.close()
}
const allEvents = (dir: string, id: string) => {
  const db = openDatabase(join(dir, 'banzai.db'))
  const events = new EventLog(db).readPipeline(id, 0, 10_000)
  db.close()
  return events
}

const DOC = {
  cache: false,
  tasks: [{ call: 'NOOP' }, { call: 'NOOP' }, { call: 'SLEEP', args: [300] }, { call: 'NOOP' }],
}

describe('snapshot rows and the log tail', () => {
  test('a row older than its pipeline’s events (as a crash leaves it) is caught up from the log at restart, and the pipeline finishes as a replay says', async () => {
    const dir = folder()
    // Blobs outlive the restart (the memory store would not).
    const store = await createEmbeddedStore({ dir: join(dir, 'store') })
    env = startInProcess({ dir, workers: 1, store })
    const { id } = await env.monitor.submit(parsePipelineDocument(DOC, catalogue))
    await env.waitUntil(() => env!.queries.detail(id).tasks[0]!.status === 'succeeded', 'step 0')
    const early = readRow(dir, id)
    await env.waitUntil(() => env!.queries.detail(id).tasks[2]!.status === 'running', 'the SLEEP step')
    await env.stop()
    env = undefined
    const events = allEvents(dir, id)
    // The older row really lacks events: what a restart must replay.
    expect(Number(early.pipeline_seq)).toBeLessThan(events.length)
    writeRow(dir, early)

    env = startInProcess({ dir, workers: 0, store })
    // At once, before anything runs: the detail is the replay of every event, not the old row.
    expect(env.queries.detail(id)).toEqual(replayDetail(events))
    expect(env.pipelines.get(id)!.detail.pipelineSeq).toBe(events.length) // written back
    env.addWorker()
    await env.waitForEnd([id])
    expect(env.queries.detail(id).status).toBe('succeeded')
    const succeeded = env.queries
      .events(id, 0, 1000)
      .events.filter((e) => e.type === 'StepSucceeded')
      .map((e) => ('step' in e.data ? e.data.step : -1))
    expect(succeeded).toEqual([0, 1, 2, 3])
    expect(checkIntegrity(env.log, env.pipelines, env.settings.retry).problems).toEqual([])
  })

  test('a live row of another snapshot version is rebuilt from its events at restart, not read as is, and the pipeline finishes', async () => {
    const dir = folder()
    const store = await createEmbeddedStore({ dir: join(dir, 'store') })
    env = startInProcess({ dir, workers: 0, store })
    const { id } = await env.monitor.submit(parsePipelineDocument(DOC, catalogue))
    await env.waitUntil(() => env!.queries.detail(id).tasks[0]!.status === 'queued', 'step 0 to queue')
    await env.stop()
    env = undefined
    // An old-version row whose contents this monitor would misread: here, a detail that says otherwise.
    const old = readRow(dir, id)
    const detail = JSON.parse(String(old.detail)) as Record<string, unknown>
    writeRow(dir, { id, snapshot_version: 0, detail: JSON.stringify({ ...detail, name: 'read as is' }) })

    env = startInProcess({ dir, workers: 0, store })
    expect(env.queries.detail(id)).toEqual(replayDetail(allEvents(dir, id)))
    expect(env.queries.detail(id).name).not.toBe('read as is')
    env.addWorker()
    await env.waitForEnd([id])
    expect(env.queries.detail(id).status).toBe('succeeded')
    const db = openDatabase(join(dir, 'banzai.db'))
    expect(new PipelineTable(db).get(id)!.detail.status).toBe('succeeded') // rewritten at the current version
    expect(checkIntegrity(new EventLog(db), new PipelineTable(db), DEFAULT_RETRY_POLICY).problems).toEqual([])
    db.close()
  })
})

test('the engine keeps a checkpoint at every CHECKPOINT_EVERY-th event of a pipeline, even when its row is written later', async () => {
  env = startInProcess({ workers: 2 })
  const tasks = Array.from({ length: 100 }, () => ({ call: 'NOOP' })) // 5 events a step: 502 in all
  const { id } = await env.monitor.submit(parsePipelineDocument({ cache: false, tasks }, catalogue))
  await env.waitForEnd([id])
  const events = env.log.readPipeline(id, 0, 10_000)
  expect(events.length).toBeGreaterThan(CHECKPOINT_EVERY)
  expect(env.pipelines.checkpointAtOrBefore(id, CHECKPOINT_EVERY + 1)).toEqual(
    replayDetail(events.slice(0, CHECKPOINT_EVERY)),
  )
})
