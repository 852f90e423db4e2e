// Benchmark (not a test) of issue 13 at the whole ARCTIC's size, on `banzai up`:
// 1. linearity: MAKE_DATASET(n) → ECHO_ITEMS at n = 1k, 4k, 8k, 20k (ECHO's wall time per item;
//    8k must cost ~8× 1k, not 15×);
// 2. the seed's pipeline FETCH_FESTVOX(18 http urls) → FILTER_LONGER(0.5) →
//    EXTRACT_MFCC(32,24,1,8000,16000) → LEARN() on the 18-voice corpus of make-corpus.ts, with 1
//    and 2 workers: wall time per step, per-item overhead, monitor peak RSS, event-log bytes per
//    item, LEARN s/epoch, held-out accuracy. Writes bench/results/scale.json and scale.md.
// Usage (rows of worker counts not in --workers are kept from the last results): node --import tsx bench/scale/run.ts [--workers 1,2] [--sizes 1000,4000,8000,20000] [--skip-seed] [--skip-linearity]
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { LearnModelDocument } from '../../core/domain/index.ts'
import { tempDataDir } from '../../test/support/banzai-processes.ts'
import { serveZips } from '../e2e/zip-server.ts'
import { runMeasured, type RunFigures } from '../e2e/measure-run.ts'
import { startBanzaiUp, type BanzaiUp } from '../support/banzai-up.ts'
import { loadNow, machineInfo } from '../support/machine.ts'
import { makeScaleCorpus } from './make-corpus.ts'
import { writeScaleReport, type ScaleReport, type SeedRun } from './report.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const { values: flags } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2' },
    sizes: { type: 'string', default: '1000,4000,8000,20000' },
    'skip-seed': { type: 'boolean', default: false },
    'skip-linearity': { type: 'boolean', default: false },
  },
})

/** Peak resident set of a process (VmHWM), MB. */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(match?.[1] ?? 0) / 1024
}

/** Bytes of a pipeline's events as the API serves them (type and data, JSON). */
async function eventBytes(up: BanzaiUp, id: string): Promise<number> {
  const events = await up.api.events(id)
  return events.reduce((sum, e) => sum + JSON.stringify({ type: e.type, data: e.data }).length, 0)
}

async function readBlobJson(up: BanzaiUp, cid: string | null): Promise<unknown> {
  if (cid === null) return null
  const response = await fetch(`${up.url}/api/blobs/${cid}`)
  return response.json()
}

async function measureLinearity(sizes: number[]): Promise<ScaleReport['linearity']> {
  const data = tempDataDir('banzai-bench-scale-')
  const up = await startBanzaiUp({ data, workers: 2 })
  const rows: ScaleReport['linearity'] = []
  try {
    for (const items of sizes) {
      const doc = {
        name: `bench: echo ${items}`,
        cache: false,
        tasks: [{ call: 'MAKE_DATASET', args: [items] }, { call: 'ECHO_ITEMS' }],
      }
      const run = await runMeasured(up, doc)
      if (run.status !== 'PipelineSucceeded') throw new Error(`echo ${items}: ${run.error ?? run.status}`)
      const [make, echo] = run.steps
      rows.push({
        items,
        makeSeconds: make?.wallSeconds ?? 0,
        echoSeconds: echo?.wallSeconds ?? 0,
        echoMsPerItem: ((echo?.wallSeconds ?? 0) * 1000) / items,
        shards: echo?.shards ?? 0,
        eventBytesPerItem: (await eventBytes(up, run.pipelineId)) / items,
      })
      console.log(`echo ${items}: ${JSON.stringify(rows.at(-1))}`)
    }
    return rows
  } finally {
    await up.stop()
    await rm(data, { recursive: true, force: true })
  }
}

async function measureSeed(workers: number, urls: string[]): Promise<SeedRun> {
  const data = tempDataDir('banzai-bench-scale-')
  const up = await startBanzaiUp({ data, workers })
  try {
    const doc = {
      name: `bench: scale seed pipeline, ${workers} worker(s)`,
      tasks: [
        { call: 'FETCH_FESTVOX', args: urls },
        { call: 'FILTER_LONGER', args: [0.5] },
        { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
        { call: 'LEARN', args: [] },
      ],
    }
    const run: RunFigures = await runMeasured(up, doc, console.log)
    const monitorPeakRssMb = peakRssMb(up.child.process.pid ?? 0)
    if (run.status !== 'PipelineSucceeded') throw new Error(`seed pipeline: ${run.error ?? run.status}`)
    const fetched = (run.steps[0]?.stats.items ?? 0) || 1
    const model = LearnModelDocument.parse(await readBlobJson(up, run.outputs[3] ?? null))
    const epochs = model.metrics.epochs.length
    const test = model.metrics.test
    return {
      workers,
      wallSeconds: run.wallSeconds,
      steps: run.steps.map((s) => ({
        call: s.call,
        wallSeconds: s.wallSeconds ?? 0,
        shards: s.shards,
        workerCpuSeconds: s.workerCpuSeconds ?? 0,
        stats: s.stats,
      })),
      items: fetched,
      monitorCpuSeconds: run.monitorCpuSeconds,
      monitorPeakRssMb,
      eventBytesPerItem: (await eventBytes(up, run.pipelineId)) / fetched,
      events: run.events,
      learnSecondsPerEpoch: (run.steps[3]?.wallSeconds ?? 0) / Math.max(1, epochs),
      epochs,
      accuracy: test && 'accuracy' in test ? test.accuracy : null,
    }
  } finally {
    await up.stop()
    await rm(data, { recursive: true, force: true })
  }
}

const loadBefore = loadNow()
const RESULTS = resolve(ROOT, 'bench/results/scale.json')
// --skip-linearity / --skip-seed keep that part of the last run (the two parts can run apart).
const previous = (): ScaleReport => JSON.parse(readFileSync(RESULTS, 'utf8')) as ScaleReport
const linearity = flags['skip-linearity']
  ? previous().linearity
  : await measureLinearity(flags.sizes.split(',').map(Number))
const measuredWorkers = new Set(flags.workers.split(',').map(Number))
// Rows of worker counts not measured this time are kept from the last results (a re-run of one).
const seed: SeedRun[] = flags['skip-seed']
  ? previous().seed
  : existsSync(RESULTS)
    ? previous().seed.filter((run) => !measuredWorkers.has(run.workers))
    : []
let corpusInfo: ScaleReport['corpus'] = flags['skip-seed'] ? previous().corpus : null
/** Writes scale.json and scale.md with what is measured so far (after each seed run too: a run stopped later keeps it). */
function writeResults(): void {
  const report: ScaleReport = { ...machineInfo(loadBefore), corpus: corpusInfo, linearity, seed }
  writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n')
  writeScaleReport(resolve(ROOT, 'bench/results/scale.md'), report)
}
if (!flags['skip-seed']) {
  const corpus = await makeScaleCorpus({ voices: 18, prompts: 1132 })
  corpusInfo = {
    voices: corpus.voices,
    prompts: corpus.prompts,
    wavs: corpus.speakers.reduce((s, x) => s + x.items, 0),
    hours: corpus.seconds / 3600,
    megabytes: corpus.bytes / 1e6,
  }
  const server = await serveZips(
    corpus.dir,
    corpus.speakers.map((s) => s.file),
  )
  try {
    for (const workers of measuredWorkers) {
      seed.push(
        await measureSeed(
          workers,
          corpus.speakers.map((s) => `${server.url}/${s.file}`),
        ),
      )
      console.log(`seed, ${workers} worker(s): ${JSON.stringify(seed.at(-1))}`)
      writeResults()
    }
  } finally {
    await server.close()
  }
}
writeResults()
