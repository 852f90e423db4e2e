// Benchmark (not a test): the seed's pipeline (FETCH_FESTVOX → FILTER_LONGER → EXTRACT_MFCC →
// LEARN) on a synthetic CMU ARCTIC-size dataset — the 1,132 ARCTIC prompts read by two espeak-ng
// voices (prompt i by voice i mod 2), ~1 hour of 16 kHz speech packed as two Festvox zips and
// served over local HTTP — on `banzai up` with 1 and with 2 workers (fresh data folders), then
// the same pipeline again on the same data (memo hits; FETCH revalidates). Writes
// bench/results/e2e.json, e2e.md and e2e.svg.
// Usage: node --import tsx bench/e2e/run.ts [--quick] [--prompts FILE] [--min-seconds 2] [--lease-ms 5000] [--report-only]
// (needs espeak-ng and sox the first time, to fill bench/cache/).
import { loadNow, machineInfo } from '../support/machine.ts'
import { readFile, rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { tempDataDir } from '../../test/support/banzai-processes.ts'
import { parsePrompts } from '../mfcc/speech-corpus.ts'
import { startBanzaiUp } from '../support/banzai-up.ts'
import { buildFestvoxCorpus, type SyntheticVoice } from './festvox-corpus.ts'
import { runMeasured, type RunFigures } from './measure-run.ts'
import { writeE2eReport, type E2eReport, type Scenario } from './report.ts'
import { serveZips } from './zip-server.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    prompts: {
      type: 'string',
      default: process.env.BANZAI_BENCH_PROMPTS ?? resolve(ROOT, '../shared/fixtures/cmuarctic.data'),
    },
    'min-seconds': { type: 'string', default: '2' },
    'lease-ms': { type: 'string', default: '5000' },
    'report-only': { type: 'boolean', default: false },
  },
})
const quick = flags.quick
const MIN_SECONDS = Number(flags['min-seconds'])
// The monitor's lease (default: the product's 5 s). LEARN yields to the event loop between
// batches, so the worker keeps heartbeating through long epochs.
const LEASE_MS = Number(flags['lease-ms'])
// en-us reads into the MFCC benchmark's cache (same synthesis, same files); the second voice
// is espeak-ng's female variant f3, different enough in pitch for a speaker classifier.
const VOICES: SyntheticVoice[] = [
  { speaker: 'esm', voice: 'en-us', wavDir: resolve(ROOT, 'bench/cache/mfcc-speech') },
  { speaker: 'esf', voice: 'en-us+f3', wavDir: resolve(ROOT, 'bench/cache/e2e-speech/en-us+f3') },
]

/** Builds the corpus, serves it, and runs the pipeline on 1 and on 2 workers (each then again). */
async function measureAll(): Promise<Omit<E2eReport, 'quoted'>> {
  const allPrompts = parsePrompts(await readFile(flags.prompts, 'utf8'))
  const prompts = quick ? allPrompts.slice(0, 60) : allPrompts
  const corpus = await buildFestvoxCorpus(
    prompts,
    VOICES,
    resolve(ROOT, `bench/cache/e2e/${prompts.length}-prompts`),
    (done, total) => console.log(`synthesized ${done} / ${total}`),
  )
  const kept = corpus.durations.filter((s) => s >= MIN_SECONDS).length
  console.log(
    `corpus: ${corpus.prompts} utterances, ${(corpus.seconds / 60).toFixed(1)} min over ${corpus.speakers.map((s) => `${s.speaker} (${s.voice})`).join(', ')}; FILTER_LONGER(${MIN_SECONDS}) keeps ${kept}`,
  )

  const server = await serveZips(
    corpus.dir,
    corpus.speakers.map((s) => s.file),
  )
  const doc = {
    name: `bench: e2e ${corpus.prompts} prompts`,
    tasks: [
      { call: 'FETCH_FESTVOX', args: corpus.speakers.map((s) => `${server.url}/${s.file}`) },
      { call: 'FILTER_LONGER', args: [MIN_SECONDS] },
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
      { call: 'LEARN', args: [] },
    ],
  }

  async function fetchJson<T>(url: string, cid: string | null): Promise<T | null> {
    if (cid === null) return null
    const response = await fetch(`${url}/api/blobs/${cid}`)
    if (!response.ok) throw new Error(`GET /api/blobs/${cid}: HTTP ${response.status}`)
    return (await response.json()) as T
  }

  function describe(run: RunFigures): string {
    return run.steps
      .map((s) => `${s.call} ${s.wallSeconds?.toFixed(1) ?? '-'} s${s.cacheHit ? ' (hit)' : ''}`)
      .join(', ')
  }

  const loadBefore = loadNow()
  const scenarios: Scenario[] = []
  for (const workers of [1, 2]) {
    const data = tempDataDir('banzai-bench-e2e-')
    console.log(`\n${workers} worker(s), data ${data}`)
    const up = await startBanzaiUp({ data, workers, leaseMs: LEASE_MS })
    try {
      const first = await runMeasured(up, doc, console.log)
      console.log(`first run ${first.status} in ${first.wallSeconds.toFixed(1)} s: ${describe(first)}`)
      if (first.status !== 'PipelineSucceeded')
        throw new Error(`pipeline ${first.pipelineId} ended ${first.status}: ${first.error ?? ''}`)
      const notModifiedBefore = server.counts.notModified
      const rerun = await runMeasured(up, doc, console.log)
      console.log(`rerun ${rerun.status} in ${rerun.wallSeconds.toFixed(1)} s: ${describe(rerun)}`)
      const filtered = await fetchJson<{ items: { seconds: number }[] }>(up.url, first.outputs[1] ?? null)
      const fetched = await fetchJson<{ items: { seconds: number }[] }>(up.url, first.outputs[0] ?? null)
      const model = await fetchJson<E2eReport['model']>(up.url, first.outputs[3] ?? null)
      scenarios.push({
        workers,
        first,
        rerun,
        rerunNotModified: server.counts.notModified - notModifiedBefore,
        fetchedItems: fetched?.items.length ?? 0,
        filteredItems: filtered?.items.length ?? 0,
        filteredSeconds: filtered?.items.reduce((s, i) => s + i.seconds, 0) ?? 0,
        model,
      })
    } finally {
      await up.stop()
      await rm(data, { recursive: true, force: true })
    }
  }
  await server.close()
  return {
    ...machineInfo(loadBefore),
    quick,
    leaseMs: LEASE_MS,
    corpus: {
      dir: corpus.dir.replace(ROOT, ''),
      prompts: corpus.prompts,
      speakers: corpus.speakers,
      seconds: corpus.seconds,
      minSeconds: MIN_SECONDS,
    },
    pipeline: doc.tasks.map((t) => ({
      call: t.call,
      args: t.call === 'FETCH_FESTVOX' ? corpus.speakers.map((s) => s.file) : t.args,
    })),
    scenarios,
    model: scenarios[0]?.model ?? null,
  }
}

const readResult = async (name: string): Promise<Record<string, unknown> | null> =>
  readFile(resolve(ROOT, `bench/results/${name}.json`), 'utf8').then(
    (text) => JSON.parse(text) as Record<string, unknown>,
    () => null,
  )

// --report-only: rewrites e2e.md and e2e.svg from e2e.json, quoting the other results afresh.
const measured = flags['report-only']
  ? ((await readResult('e2e')) as unknown as E2eReport)
  : await measureAll()
await writeE2eReport(resolve(ROOT, 'bench/results'), {
  ...measured,
  quoted: { dispatch: await readResult('dispatch'), eventLog: await readResult('event-log') },
})
