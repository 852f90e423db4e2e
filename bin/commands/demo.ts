import { createReadStream, readdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PipelineDetail } from '../../core/domain/index.ts'
import { ApiClient, EXIT } from '../client.ts'
import { followPipeline } from '../follow.ts'
import type { Settings } from '../settings.ts'
import { spawnWorkers, stopWorkers } from '../wiring/local-workers.ts'
import { startMonitor } from '../wiring/start-monitor.ts'

const DATASETS = fileURLToPath(new URL('../../fixtures/arctic/', import.meta.url))
/** The bundled speakers the demo trains on (synthetic speech, real ARCTIC prompts). */
export const DEMO_ZIPS = [
  'cmu_us_sus_arctic-0.90-release.zip',
  'cmu_us_ssc_arctic-0.90-release.zip',
  'cmu_us_sf3_arctic-0.90-release.zip',
]

/** Serves the bundled dataset zips over HTTP on 127.0.0.1, as a Festvox mirror would. */
function serveDatasets(): Promise<{ server: Server; url: string }> {
  const files = new Set(readdirSync(DATASETS).filter((f) => f.endsWith('.zip')))
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1))
    if (!files.has(name)) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/zip' })
    createReadStream(join(DATASETS, name)).pipe(res)
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      resolve({
        server,
        url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      })
    }),
  )
}

interface ModelDocument {
  task: string
  backend: string
  labels: string[]
  metrics: { epochs: unknown[]; test: { accuracy?: number; mse?: number; baselineMse?: number } | null }
  reason?: string
}

/**
 * `banzai demo`: starts monitor and workers, runs the seed's pipeline on the bundled
 * speakers, prints the LEARN result and the dashboard URL, and exits 0 on success.
 */
export async function runDemo(settings: Settings): Promise<number> {
  const datasets = await serveDatasets()
  const running = await startMonitor(settings)
  const workers = spawnWorkers(settings, running.url, settings.workers || Math.max(2, availableParallelism()))
  try {
    const client = new ApiClient(running.url, settings.token)
    const doc = {
      name: 'demo: three ARCTIC speakers',
      tasks: [
        { call: 'FETCH_FESTVOX', args: DEMO_ZIPS.map((zip) => `${datasets.url}/${zip}`) },
        { call: 'FILTER_LONGER', args: [2] },
        { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
        { call: 'LEARN', args: [] },
      ],
    }
    const submitted = await client.call<PipelineDetail>('POST', '/pipelines', doc)
    console.log(`dashboard: ${running.url}/#/pipelines/${submitted.id}`)
    const detail = await followPipeline(client, submitted.id)
    if (detail.status !== 'succeeded' || !detail.output) {
      console.log(`demo ${detail.status}: ${detail.error ?? ''}`)
      return EXIT.failed
    }
    const response = await fetch(
      `${running.url}/api/blobs/${detail.output}`,
      settings.token ? { headers: { authorization: `Bearer ${settings.token}` } } : {},
    )
    const model = (await response.json()) as ModelDocument
    const test = model.metrics.test
    const result =
      test?.accuracy !== undefined
        ? `held-out utterance accuracy ${(test.accuracy * 100).toFixed(1)} %`
        : test?.mse !== undefined
          ? `test mse ${test.mse.toFixed(4)} (baseline ${test.baselineMse?.toFixed(4)})`
          : `no test split (${model.reason ?? ''})`
    console.log(
      `LEARN: ${model.task} over ${model.labels.join(', ')} on ${model.backend}, ${model.metrics.epochs.length} epochs: ${result}`,
    )
    console.log(`model: ${detail.output}`)
    console.log(
      `to browse this run later: npx banzai up --data ${settings.data} --port ${settings.port}, then open ${running.url}/#/pipelines/${submitted.id}`,
    )
    return EXIT.ok
  } finally {
    await stopWorkers(workers)
    await running.stop()
    datasets.server.close()
  }
}
