import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { catalogue, parsePipelineDocument } from '../domain/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'
import { openDatabase } from './sqlite/open-database.ts'

// A live pipeline's snapshot row that does not parse no longer stops the monitor from starting
// ("Cannot convert undefined or null to object"): it is rebuilt from that pipeline's events.
let env: InProcess | undefined
const dirs: string[] = []
afterEach(async () => {
  await env?.stop()
  env = undefined
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

test('a damaged machine snapshot is rebuilt from the pipeline’s events and the pipeline finishes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banzai-damaged-'))
  dirs.push(dir)
  env = startInProcess({ dir, workers: 0 })
  const doc = { cache: false, tasks: [{ call: 'MAKE_DATASET', args: [4] }, { call: 'NOOP' }] }
  const { id } = await env.monitor.submit(parsePipelineDocument(doc, catalogue))
  await env.waitUntil(() => env!.queries.detail(id).tasks[0]!.status === 'queued', 'the first task to queue')
  await env.stop()
  env = undefined

  const db = openDatabase(join(dir, 'banzai.db'))
  db.prepare(`UPDATE pipelines SET machine = '{"value": "running", "context"' WHERE id = ?`).run(id)
  db.close()

  env = startInProcess({ dir, workers: 2 })
  await env.waitForEnd([id])
  expect(env.queries.detail(id).status).toBe('succeeded')
})
