import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { DEFAULT_RETRY_POLICY } from '../domain/index.ts'
import { spawnTs } from '../../test/support/child-process.ts'
import { EventLog } from './event-log.ts'
import { PipelineTable } from './pipeline-table.ts'
import { checkIntegrity } from './replay.ts'
import { openDatabase } from './sqlite/open-database.ts'

const dir = mkdtempSync(join(tmpdir(), 'banzai-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a monitor killed with SIGKILL while 20 pipelines run restarts on the same file, and all 20 succeed with no unit succeeding twice', async () => {
  const first = spawnTs('test/harness/monitor-child.ts', [dir, '--submit', '20'])
  await first.waitForLine((l) => l === 'submitted-all', '20 submissions')
  // Mid-run: some units have succeeded, most have not.
  const committed = (l: string) => l.startsWith('committed ') && Number(l.slice(10)) >= 150
  await first.waitForLine(committed, 'the run to be under way')
  first.kill('SIGKILL')
  await first.exited

  const db = openDatabase(join(dir, 'banzai.db'))
  const live = db.prepare('SELECT COUNT(*) AS n FROM pipelines WHERE machine IS NOT NULL').get() as {
    n: number
  }
  db.close()
  expect(live.n).toBeGreaterThan(0)

  const second = spawnTs('test/harness/monitor-child.ts', [dir])
  await second.waitForLine((l) => l === 'all-ended', 'every pipeline to end', 90_000)
  second.kill('SIGKILL')
  await second.exited

  const check = openDatabase(join(dir, 'banzai.db'))
  const statuses = check.prepare('SELECT status, COUNT(*) AS n FROM pipelines GROUP BY status').all()
  expect(statuses).toEqual([{ status: 'succeeded', n: 20 }])
  const twice = check
    .prepare(
      `SELECT pipeline_id, json_extract(data, '$.step') AS step, json_extract(data, '$.shard') AS shard, COUNT(*) AS n
       FROM events WHERE type = 'UnitSucceeded' GROUP BY 1, 2, 3 HAVING n > 1`,
    )
    .all()
  expect(twice).toEqual([])
  expect(
    checkIntegrity(new EventLog(check), new PipelineTable(check), DEFAULT_RETRY_POLICY).problems,
  ).toEqual([])
  check.close()
})
