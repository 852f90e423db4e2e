import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium, launchBrowser } from './browser.ts'
import { startDashboardServer, type DashboardServer } from './server.ts'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const shots = `${repoRoot}test-output/screenshots`
const executable = findChromium()
if (!executable && process.env.CI)
  throw new Error(
    'browser tests: no Chromium found and CI is set (apt-get install chromium, or set BANZAI_CHROMIUM)',
  )
if (!executable) console.warn('\n\n*** SKIPPED: browser tests — apt-get install chromium ***\n\n')

const GRAPH = {
  name: 'graph in the browser',
  tasks: [
    { id: 'a', inputs: [], call: 'MAKE_DATASET', args: [3] },
    { id: 'b', inputs: [], call: 'SLEEP', args: [300] },
    { id: 'echo', inputs: ['a'], call: 'ECHO_ITEMS', args: [20] },
    { id: 'last', inputs: ['echo'], call: 'NOOP' },
  ],
}

describe.skipIf(!executable)('the pipeline graph in Chromium', () => {
  let server: DashboardServer
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  let page: Page
  let id = ''

  beforeAll(async () => {
    execFileSync(
      process.execPath,
      [
        `${repoRoot}node_modules/vite/bin/vite.js`,
        'build',
        '--config',
        `${repoRoot}ui/vite.config.ts`,
        '--logLevel',
        'warn',
      ],
      { stdio: 'inherit' },
    )
    server = await startDashboardServer({ uiDir: `${repoRoot}ui/dist` })
    browser = await launchBrowser(executable ?? '')
    page = browser.context.pages()[0] ?? (await browser.context.newPage())
    mkdirSync(shots, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('draws the graph live: a node per step, an edge per input, statuses as they change', async () => {
    const response = await fetch(`${server.url}/api/pipelines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(GRAPH),
    })
    expect(response.status).toBe(201)
    id = ((await response.json()) as { id: string }).id
    await page.goto(`${server.url}/#/pipelines/${id}`)
    await page.locator('.pipeline-graph .graph-node').first().waitFor()
    expect(await page.locator('.graph-node').count()).toBe(4)
    expect(await page.locator('.graph-edge').count()).toBe(2)
    const box = async (step: number) => page.locator(`.graph-node[data-step="${step}"]`).boundingBox()
    expect((await box(0))!.x).toBeLessThan((await box(2))!.x) // the data flows left to right
    // `b` (SLEEP 300) runs beside the a → echo → last branch, which can finish first.
    for (const step of [1, 3])
      await page
        .locator(`.graph-node[data-step="${step}"][data-status="succeeded"]`)
        .waitFor({ timeout: 20_000 })
    expect(await page.locator('.graph-node[data-status="succeeded"]').count()).toBe(4)
    expect(await page.locator('.graph-edge.from-succeeded').count()).toBe(2)
    await page.screenshot({ path: `${shots}/pipeline-graph.png`, fullPage: true })
  })

  it('a node opens its step', async () => {
    await page.locator('.graph-node[data-step="2"]').click()
    const card = page.locator('.task-card[data-step="2"]')
    await page.locator('.task-card[data-step="2"][data-selected="true"]').waitFor()
    expect(await card.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await card.locator('.task-inputs').textContent()).toBe('1 (a)')
    expect(await page.locator('.graph-node.selected').getAttribute('data-step')).toBe('2')
  })

  it('replay draws the graph as it was', async () => {
    await page.goto(`${server.url}/#/pipelines/${id}/replay?at=1`)
    await page.locator('.replay-state[data-at="1"]').waitFor()
    expect(await page.locator('.replay-state .graph-node[data-status="pending"]').count()).toBe(4)
    await page.screenshot({ path: `${shots}/replay-graph.png`, fullPage: true })
  })

  it('shows a graph error beside its task in the submit form', async () => {
    await page.goto(`${server.url}/#/submit`)
    await page.fill(
      'textarea[name="document"]',
      JSON.stringify({
        tasks: [
          { id: 'x', inputs: ['y'], call: 'NOOP' },
          { id: 'y', inputs: ['x'], call: 'NOOP' },
        ],
      }),
    )
    await page.click('button[type="submit"]')
    const error = page.locator('.outline-task[data-task="1"] .field-error')
    await error.waitFor()
    expect(await error.textContent()).toBe('tasks[1].inputs[0] makes a cycle: x → y → x')
  })
})
