import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../core/domain/index.ts'
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

describe.skipIf(!executable)('dashboard in Chromium', () => {
  let server: DashboardServer
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  let context: BrowserContext
  let page: Page
  let pipelineId = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    // The vite CLI, not its API: importing vite here trips eslint-plugin-import-x's resolver.
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
    context = browser.context
    page = context.pages()[0] ?? (await context.newPage())
    page.on('pageerror', (e) => pageErrors.push(e.message))
    mkdirSync(shots, { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('submits a pipeline through the form and watches it succeed without reloading', async () => {
    await page.goto(`${server.url}/#/submit`)
    await page.locator('.catalogue-task[data-task="SLEEP"]').waitFor()
    await page.fill('textarea[name="document"]', '[{"call":"SLEEP","args":[1500]},{"call":"NOOP"}]')
    await page.screenshot({ path: `${shots}/submit.png`, fullPage: true })
    let reloads = 0
    page.on('load', () => reloads++)
    await page.click('button[type="submit"]')
    await page.waitForURL(/#\/pipelines\/[^/]+$/)
    pipelineId = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '')
    await page.locator('.task-card[data-step="0"][data-status="running"]').waitFor({ timeout: 10_000 })
    await page.screenshot({ path: `${shots}/pipeline-running.png`, fullPage: true })
    await page.locator('.pipeline-header .badge[data-status="succeeded"]').waitFor({ timeout: 20_000 })
    expect(await page.locator('.task-card[data-status="succeeded"]').count()).toBe(2)
    expect(reloads).toBe(0)
    await page.screenshot({ path: `${shots}/pipeline-succeeded.png`, fullPage: true })
  })

  it('lists the pipeline', async () => {
    await page.goto(`${server.url}/#/`)
    await page.locator(`tr[data-id="${pipelineId}"][data-status="succeeded"]`).waitFor()
    await page.screenshot({ path: `${shots}/pipelines.png`, fullPage: true })
  })

  it('moves the replay slider back to an event where the first task runs again', async () => {
    const { events } = (await (
      await fetch(`${server.url}/api/pipelines/${pipelineId}/events?limit=1000`)
    ).json()) as { events: StoredEvent[] }
    const started = events.find((e) => e.type === 'UnitStarted' && e.data.step === 0)
    expect(started).toBeDefined()
    await page.goto(`${server.url}/#/pipelines/${pipelineId}/replay`)
    await page.locator(`.replay-state[data-at="${events.length}"]`).waitFor()
    expect(await page.locator('.replay-state .task-card[data-step="0"]').getAttribute('data-status')).toBe(
      'succeeded',
    )
    const slider = page.locator('input[type="range"]')
    await slider.evaluate((el, at) => {
      const input = el as HTMLInputElement
      input.value = String(at)
      input.dispatchEvent(new Event('input', { bubbles: true }))
    }, started?.pipelineSeq ?? 1)
    await page.locator(`.replay-state[data-at="${started?.pipelineSeq}"]`).waitFor()
    expect(await page.locator('.replay-state .task-card[data-step="0"]').getAttribute('data-status')).toBe(
      'running',
    )
    expect(await page.locator('.event-panel .event-type').textContent()).toBe('UnitStarted')
    // One step back with the keyboard: the task is queued again, before its worker took it.
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('ArrowLeft')
    await page.locator(`.replay-state[data-at="${(started?.pipelineSeq ?? 2) - 1}"]`).waitFor()
    await page.keyboard.press('ArrowRight')
    await page.locator(`.replay-state[data-at="${started?.pipelineSeq}"]`).waitFor()
    await page.screenshot({ path: `${shots}/replay.png`, fullPage: true })
  })

  it('shows a validation error next to the field', async () => {
    await page.goto(`${server.url}/#/submit`)
    await page.fill('textarea[name="document"]', '[{"call":"SLEEP","args":["5s"]},{"call":"NOOP"}]')
    await page.click('button[type="submit"]')
    const error = page.locator('[data-arg="0.0"] .field-error')
    await error.waitFor()
    expect(await error.textContent()).toContain('tasks[0].args[0]')
    await page.screenshot({ path: `${shots}/submit-error.png`, fullPage: true })
  })

  it('opens the training view and finds the chart', async () => {
    await page.goto(`${server.url}/#/blobs/${server.fixtures.model}`)
    await page.locator('.chart-container canvas').first().waitFor()
    expect(await page.locator('.chart-container canvas').count()).toBeGreaterThanOrEqual(2)
    expect(await page.locator('table.confusion tbody td').count()).toBe(9)
    await page.screenshot({ path: `${shots}/training.png`, fullPage: true })
  })

  it('opens the dataset view, with audio and the MFCC heatmap', async () => {
    await page.goto(`${server.url}/#/blobs/${server.fixtures.dataset}`)
    await page.click('text=awb/arctic_a0001')
    await page.locator('.item-detail audio').waitFor()
    await page.locator('figcaption', { hasText: '319 frames × 24 coefficients' }).waitFor()
    const duration = await page.locator('.item-detail audio').evaluate(
      (el) =>
        new Promise<number>((resolve) => {
          const audio = el as HTMLAudioElement
          if (audio.readyState >= 1) resolve(audio.duration)
          else audio.addEventListener('loadedmetadata', () => resolve(audio.duration), { once: true })
        }),
    )
    expect(duration).toBeGreaterThan(1)
    await page.screenshot({ path: `${shots}/dataset.png`, fullPage: true })
  })

  it('opens a 20k-item dataset a page at a time: no response carries the whole manifest', async () => {
    const big = server.fixtures.bigDataset
    const bodies: { url: string; bytes: number }[] = []
    const onResponse = (response: { url(): string; body(): Promise<Buffer> }) => {
      bodies.push({ url: response.url(), bytes: -1 })
      const entry = bodies.at(-1)!
      response.body().then(
        (body) => (entry.bytes = body.length),
        () => (entry.bytes = 0), // a body the page did not wait for (an aborted media request)
      )
    }
    page.on('response', onResponse)
    await page.goto(`${server.url}/#/blobs/${big.cid}`)
    await page.locator('text=Page 1 of 204').waitFor()
    expect(await page.locator('table.items tbody tr').count()).toBe(100)
    await page.click('text=Next →')
    await page.locator('text=Page 2 of 204').waitFor()
    await page.locator('tr[data-item="spk10/arctic_0010"]').waitFor()
    await page.selectOption('select', 'spk17')
    await page.locator('text=Page 1 of 12').waitFor()
    await page.screenshot({ path: `${shots}/dataset-20k.png`, fullPage: true })
    page.off('response', onResponse)
    const apiBodies = bodies.filter((b) => b.url.includes('/api/'))
    expect(apiBodies.some((b) => b.url.includes(`/api/datasets/${big.cid}/items`))).toBe(true)
    expect(apiBodies.some((b) => b.url.includes(`/api/blobs/${big.cid}`))).toBe(false)
    // Pages of 100 items are ~30 KB; the manifest is ~7 MB. No answer comes near it.
    for (const b of apiBodies) expect(b.bytes, b.url).toBeLessThan(big.bytes / 20)
  })

  it('lists the workers', async () => {
    await page.goto(`${server.url}/#/workers`)
    await page.locator('tr[data-worker]').first().waitFor()
    expect(await page.locator('tr[data-worker]').count()).toBe(2)
    await page.screenshot({ path: `${shots}/workers.png`, fullPage: true })
    expect(pageErrors).toEqual([])
  })
})
