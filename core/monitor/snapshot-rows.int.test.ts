import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { MemoTable } from './memo-table.ts'
import { PipelineTable } from './pipeline-table.ts'
import { openDatabase } from './sqlite/open-database.ts'

const dir = mkdtempSync(join(tmpdir(), 'banzai-rows-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('snapshot rows are parsed by their schemas', () => {
  const db = openDatabase(join(dir, 'rows.db'))
  const pipelines = new PipelineTable(db)
  const memo = new MemoTable(db)
  const insert = db.prepare(
    `INSERT INTO pipelines (id, name, status, created_at, updated_at, last_seq, pipeline_seq, detail, machine, idempotency_key, retry_of)
     VALUES (?, 'x', 'running', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1, 1, ?, ?, NULL, NULL)`,
  )

  test('a detail that does not fit PipelineDetail throws a corrupt error naming the row', () => {
    insert.run('pbad1', JSON.stringify({ id: 'pbad1', status: 'nonsense' }), null)
    expect(() => pipelines.get('pbad1')).toThrow(/pipelines\.detail of pbad1 does not fit its schema/)
    // A list page names the row it could not read (the read side rebuilds it from events).
    const page = pipelines.listDetails({ limit: 10 })
    expect(page.rows.find((r) => r.id === 'pbad1')).toMatchObject({
      error: expect.stringMatching(/pipelines\.detail of pbad1 does not fit its schema/) as unknown,
    })
  })

  test('a machine that is not JSON throws a corrupt error', () => {
    insert.run('pbad2', '{}', '{"value": "running", "context"')
    expect(() => pipelines.loadLive()).toThrow(/pipelines\.(detail|machine) of pbad2/)
  })

  test('a row of another snapshot version is not read as is', () => {
    insert.run('pold', '{}', null)
    db.prepare('UPDATE pipelines SET snapshot_version = 99 WHERE id = ?').run('pold')
    expect(() => pipelines.get('pold')).toThrow(/snapshot version 99; this monitor reads version 1/)
    expect(pipelines.loadLiveOrDamaged().damaged.map((d) => d.id)).not.toContain('pold') // not live
  })

  test('memo refs that are not CIDs throw', () => {
    db.prepare(
      "INSERT INTO memo (key, call, parts, output, refs, pipeline_id, step, at) VALUES ('k1', 'NOOP', '{}', 'x', '[1]', 'p', 0, 'now')",
    ).run()
    expect(() => memo.get('k1')).toThrow()
    expect(() => memo.allReferencedCids()).toThrow(/memo\.refs/)
  })
})
