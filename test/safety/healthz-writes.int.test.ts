import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, test } from 'vitest'
import { resolveSettings } from '../../bin/settings.ts'
import { startMonitor } from '../../bin/wiring/start-monitor.ts'
import { freePorts, tempDataDir } from '../support/banzai-processes.ts'

// healthz tells the truth about writes (SPEC §5): while another connection holds the event log's
// write lock, commits fail with SQLITE_BUSY after the busy timeout, and healthz answers 503 with that
// reason; once a commit goes through again, it answers 200.
test('healthz answers 503 with the real reason while writes fail, and 200 once one succeeds', async () => {
  const data = tempDataDir('banzai-healthz-')
  const settings = resolveSettings(
    { data, port: await freePorts(1), zmqPort: await freePorts(3), logLevel: 'silent' },
    {},
  )
  const running = await startMonitor(settings)
  const other = new Database(join(data, 'banzai.db'))
  try {
    const submit = () =>
      fetch(`${running.url}/api/pipelines`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tasks: [{ call: 'NOOP' }], cache: false }),
      })
    expect((await fetch(`${running.url}/api/healthz`)).status).toBe(200)

    other.exec('BEGIN IMMEDIATE')
    expect((await submit()).status).toBe(503)
    const health = await fetch(`${running.url}/api/healthz`)
    expect(health.status).toBe(503)
    const problem = (await health.json()) as { detail: string }
    expect(problem.detail).toContain('the event log cannot be written: database is locked (SQLITE_BUSY)')

    other.exec('ROLLBACK')
    expect((await submit()).status).toBe(201)
    expect((await fetch(`${running.url}/api/healthz`)).status).toBe(200)
  } finally {
    other.close()
    await running.stop()
    rmSync(data, { recursive: true, force: true })
  }
})
