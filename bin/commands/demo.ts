import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PipelineDetail } from '../../core/domain/index.ts'
import { ApiClient, EXIT } from '../client.ts'
import { followPipeline } from '../follow.ts'
import { reportOutcome } from '../outcome.ts'
import { PROJECT_ROOT } from '../project-root.ts'
import type { Settings } from '../settings.ts'
import { spawnWorkers, stopWorkers } from '../wiring/local-workers.ts'
import { startMonitor } from '../wiring/start-monitor.ts'

/** The bundled speakers the demo trains on (synthetic speech, real ARCTIC prompts). */
export const DEMO_ZIPS = [
  'cmu_us_sus_arctic-0.90-release.zip',
  'cmu_us_ssc_arctic-0.90-release.zip',
  'cmu_us_sf3_arctic-0.90-release.zip',
]

/**
 * The demo's pipeline. The zips are read through `file:` URLs under the fixtures folder (an
 * allowed root of every worker): the address has no port, so a second run in the same data
 * folder repeats every memo key and is served from the cache.
 */
export function demoDocument(): { name: string; tasks: { call: string; args: unknown[] }[] } {
  const folder = join(PROJECT_ROOT, 'fixtures', 'arctic')
  return {
    name: 'demo: three ARCTIC speakers',
    tasks: [
      { call: 'FETCH_FESTVOX', args: DEMO_ZIPS.map((zip) => pathToFileURL(join(folder, zip)).href) },
      { call: 'FILTER_LONGER', args: [2] },
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
      { call: 'LEARN', args: [] },
    ],
  }
}

/**
 * `banzai demo`: starts monitor and workers, runs the seed's pipeline on the bundled
 * speakers, prints the progress, each step's result (LEARN's accuracy) and the dashboard URL,
 * and exits 0 on success.
 */
export async function runDemo(settings: Settings): Promise<number> {
  const running = await startMonitor(settings)
  const workers = spawnWorkers(settings, running.url, settings.workers || Math.max(2, availableParallelism()))
  try {
    const client = new ApiClient(running.url, settings.token)
    const submitted = await client.call(PipelineDetail, 'POST', '/pipelines', demoDocument())
    console.log(`dashboard: ${running.url}/#/pipelines/${submitted.id}`)
    const detail = await followPipeline(client, submitted.id, {
      interruptHint: 'the demo stops with its monitor; run it again to go on from what is cached.',
    })
    if (process.exitCode === 130) return 130
    const code = await reportOutcome(client, detail)
    if (code === EXIT.ok)
      console.log(
        `to browse this run later: npx banzai up --data ${settings.data} --port ${settings.port}, then open ${running.url}/#/pipelines/${submitted.id}`,
      )
    return code
  } finally {
    await stopWorkers(workers)
    await running.stop()
  }
}
