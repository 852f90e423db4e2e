import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderBarChart } from '../support/svg-bar-chart.ts'
import type { SpeakerZip } from './festvox-corpus.ts'
import type { RunFigures } from './measure-run.ts'

/** One `banzai up` with N workers: a first run and a rerun on the same data. */
export interface Scenario {
  workers: number
  first: RunFigures
  rerun: RunFigures
  /** 304 answers the mirror gave during the rerun (FETCH_FESTVOX's revalidation). */
  rerunNotModified: number
  fetchedItems: number
  filteredItems: number
  filteredSeconds: number
  model: E2eReport['model']
}

/** Everything e2e.json holds. */
export interface E2eReport {
  date: string
  node: string
  cpu: string
  cores: number
  loadAverage1m: { before: number; after: number }
  quick: boolean
  /** The monitor's lease (`--lease-ms`), ms. */
  leaseMs: number
  corpus: { dir: string; prompts: number; speakers: SpeakerZip[]; seconds: number; minSeconds: number }
  pipeline: { call: string; args: unknown[] }[]
  scenarios: Scenario[]
  model: {
    task: string
    backend: string
    labels: string[]
    metrics: {
      epochs: unknown[]
      test: { accuracy?: number; frameAccuracy?: number; recordings?: number } | null
    }
  } | null
  /** Other benchmarks' JSON results, when present. */
  quoted: { dispatch: Record<string, unknown> | null; eventLog: Record<string, unknown> | null }
}

/** Reads a number at a path inside parsed JSON, or null. */
function numberAt(value: unknown, path: (string | number)[]): number | null {
  let here = value
  for (const key of path) {
    if (here === null || typeof here !== 'object') return null
    here = (here as Record<string | number, unknown>)[key]
  }
  return typeof here === 'number' ? here : null
}

const fixed = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits)

/** Figures derived from a scenario's runs. */
export function deriveFigures(s: Scenario) {
  const step = (call: string) => s.first.steps.find((x) => x.call === call)
  const mfcc = step('EXTRACT_MFCC')
  const learn = step('LEARN')
  const epochs = learn?.stats.epochs ?? s.model?.metrics.epochs.length ?? 0
  const fetchFirst = s.first.steps[0]?.wallSeconds ?? null
  const fetchRerun = s.rerun.steps[0]?.wallSeconds ?? null
  return {
    mfccWall: mfcc?.wallSeconds ?? null,
    mfccShards: mfcc?.shards ?? 0,
    mfccPerCpu: mfcc?.workerCpuSeconds ? s.filteredSeconds / mfcc.workerCpuSeconds : null,
    mfccPerWall: mfcc?.wallSeconds ? s.filteredSeconds / mfcc.wallSeconds : null,
    /** Worker CPU over wall time during EXTRACT_MFCC: how many cores the workers actually got. */
    mfccCoresBusy:
      mfcc?.wallSeconds && mfcc.workerCpuSeconds !== null ? mfcc.workerCpuSeconds / mfcc.wallSeconds : null,
    learnTrainPerEpoch:
      learn?.stats.trainMs !== undefined && epochs > 0 ? learn.stats.trainMs / 1000 / epochs : null,
    learnWallPerEpoch: learn?.wallSeconds != null && epochs > 0 ? learn.wallSeconds / epochs : null,
    epochs,
    fetchFraction: fetchFirst && fetchRerun !== null ? fetchRerun / fetchFirst : null,
    rerunHits: s.rerun.steps.filter((x) => x.cacheHit).length,
  }
}

function markdown(r: E2eReport): string {
  const [one, two] = r.scenarios
  const d1 = one ? deriveFigures(one) : null
  const d2 = two ? deriveFigures(two) : null
  const cell = (s: Scenario | undefined, f: (s: Scenario) => string): string => (s ? f(s) : '–')
  const row = (label: string, f: (s: Scenario) => string): string =>
    `| ${label} | ${cell(one, f)} | ${cell(two, f)} |`
  const wall = (i: number) => (s: Scenario) => fixed(s.first.steps[i]?.wallSeconds)
  const speedup = d1?.mfccWall && d2?.mfccWall ? d1.mfccWall / d2.mfccWall : null
  const dispatch = r.quoted.dispatch
  const d = (path: (string | number)[]) => numberAt(dispatch, ['runs', 0, ...path])
  const log = r.quoted.eventLog
  const minutes = r.corpus.seconds / 60
  const mb = r.corpus.speakers.reduce((n, s) => n + s.bytes, 0) / 1e6
  const test = r.model?.metrics.test
  const lines = [
    '# End to end: the seed’s pipeline on an ARCTIC-size dataset',
    '',
    `${r.corpus.prompts} CMU ARCTIC prompts read by espeak-ng (${r.corpus.speakers.map((s) => `\`${s.speaker}\` = ${s.voice}, ${s.items} utterances`).join('; ')}),`,
    `${minutes.toFixed(1)} min of 16 kHz speech packed as two Festvox zips (${mb.toFixed(0)} MB) served over local HTTP with ETags.`,
    `Pipeline: ${r.pipeline.map((t) => `${t.call}(${t.call === 'FETCH_FESTVOX' ? `${t.args.length} zips` : t.args.join(', ')})`).join(' → ')};`,
    `FILTER keeps ${one?.filteredItems ?? '–'} of ${one?.fetchedItems ?? '–'} items (${((one?.filteredSeconds ?? 0) / 60).toFixed(1)} min). Each column is a fresh \`banzai up --workers N\` (1 slot per worker, shards of 50 items).${r.quick ? ' **Quick variant (60 prompts)**: figures are for checking the script, not for quoting.' : ''}`,
    '',
    '![Step wall times, 1 vs 2 workers, and the rerun](e2e.svg)',
    '',
    '| figure | 1 worker | 2 workers |',
    '| --- | ---: | ---: |',
    ...r.pipeline.map((t, i) => row(`${t.call} wall (s)`, wall(i))),
    row('pipeline, submitted → succeeded (s)', (s) => fixed(s.first.wallSeconds)),
    row('EXTRACT_MFCC audio-s per worker CPU-s (all workers)', (s) => fixed(deriveFigures(s).mfccPerCpu, 0)),
    row('EXTRACT_MFCC audio-s per wall-s', (s) => fixed(deriveFigures(s).mfccPerWall, 0)),
    row('EXTRACT_MFCC worker CPU-s per wall-s (cores the workers got)', (s) =>
      fixed(deriveFigures(s).mfccCoresBusy, 2),
    ),
    `| EXTRACT_MFCC fan-out speedup, 2 vs 1 workers, wall time (${d1?.mfccShards ?? '–'} shards)${speedup !== null && speedup > 2 ? ' ¹' : ''} | 1.00 | ${fixed(speedup, 2)} |`,
    row('LEARN training s per epoch (worker’s `trainMs` / epochs)', (s) =>
      fixed(deriveFigures(s).learnTrainPerEpoch, 2),
    ),
    row('LEARN step wall s per epoch', (s) => fixed(deriveFigures(s).learnWallPerEpoch, 2)),
    row('monitor process CPU during the run (s)', (s) => fixed(s.first.monitorCpuSeconds)),
    row('**rerun** on the same data: submitted → succeeded (s)', (s) => fixed(s.rerun.wallSeconds, 2)),
    row(
      'rerun: FETCH revalidation (s; fraction of first FETCH)',
      (s) =>
        `${fixed(s.rerun.steps[0]?.wallSeconds, 2)} (${fixed((deriveFigures(s).fetchFraction ?? NaN) * 100, 1)} %)`,
    ),
    row(
      'rerun: steps answered from the memo; 304s from the mirror',
      (s) => `${deriveFigures(s).rerunHits} of ${s.rerun.steps.length}; ${s.rerunNotModified}`,
    ),
    `| dispatch overhead, NOOP submit → succeeded p50 / p99 (ms, from dispatch.json) | ${fixed(d(['sequential', 'clientRoundTripMs', 'p50']))} / ${fixed(d(['sequential', 'clientRoundTripMs', 'p99']))} | ${fixed(numberAt(dispatch, ['runs', 1, 'sequential', 'clientRoundTripMs', 'p50']))} / ${fixed(numberAt(dispatch, ['runs', 1, 'sequential', 'clientRoundTripMs', 'p99']))} |`,
    `| dispatch throughput, NOOP tasks/s (dispatch.json) | ${fixed(d(['sustained', 'tasksPerSecond']))} | ${fixed(numberAt(dispatch, ['runs', 1, 'sustained', 'tasksPerSecond']))} |`,
    `| monitor restart with 100k / 1M events in the log (ms, event-log.json) | ${fixed(numberAt(log, ['restart_ms_100000']), 0)} / ${fixed(numberAt(log, ['restart_ms_1000000']), 0)} | (same monitor) |`,
    ...(speedup !== null && speedup > 2
      ? [
          '',
          `¹ More than 2× from a second worker is the shared machine, not the code: the two runs got different shares of the 2 cores (see the cores row); the CPU figures compare better.`,
        ]
      : []),
    ...(numberAt(log, ['restart_ms_1000000']) === null
      ? [
          '',
          '(– in a quoted figure: that benchmark has not been run, or only with `--quick`; `npm run bench` fills it in.)',
        ]
      : []),
    '',
    r.model
      ? `LEARN: ${r.model.task} over ${r.model.labels.join(', ')} on ${r.model.backend}, ${r.model.metrics.epochs.length} epochs; held-out recordings: ${test?.accuracy !== undefined ? `${(test.accuracy * 100).toFixed(1)} % right of ${test.recordings ?? '?'} (frame accuracy ${fixed((test.frameAccuracy ?? NaN) * 100, 1)} %)` : 'no test split'}.`
      : 'LEARN produced no model document.',
    '',
    'How measured: step wall times are differences of event `at` times (StepStarted → StepSucceeded, or for a memo hit the previous',
    'step’s end → StepCacheHit). Worker CPU is read from `/proc/<pid>/stat` of the worker processes when each step’s start and end',
    'events arrive over `GET /api/events` (within milliseconds); it covers everything the workers did meanwhile (reading blobs,',
    'decoding, MFCC, `.npy` encoding, storing, reports). Audio seconds are those of the items FILTER kept. The rerun submits the',
    'same document to the same `banzai up`: FETCH_FESTVOX is `external`, so it runs and revalidates its URLs (conditional GETs);',
    'its output CID is unchanged, so the later steps are memo hits.',
    r.leaseMs === 5000
      ? 'Lease: the default 5 s.'
      : `Lease: \`--lease-ms ${r.leaseMs}\` (recorded before LEARN yielded to the event loop between batches; since then the default 5 s lease holds).`,
    '',
    `${r.node} on ${r.cpu} (${r.cores} cores, shared with other work: 1-min load average ${r.loadAverage1m.before.toFixed(1)} before, ${r.loadAverage1m.after.toFixed(1)} after).`,
    `Made by \`node --import tsx bench/e2e/run.ts${r.quick ? ' --quick' : ''}\` on ${r.date}.`,
    '',
  ]
  return lines.join('\n')
}

/** Writes e2e.json, e2e.md and the chart e2e.svg into `dir`. */
export async function writeE2eReport(dir: string, report: E2eReport): Promise<void> {
  await mkdir(dir, { recursive: true })
  const svg = renderBarChart({
    title: `Step wall time, ${report.corpus.prompts} utterances (${(report.corpus.seconds / 60).toFixed(0)} min of speech)`,
    unit: 's (event times)',
    scale: 'per-group',
    series: [
      ...report.scenarios.map((s) => `${s.workers} worker${s.workers > 1 ? 's' : ''}`),
      'rerun, 2 workers (memo)',
    ],
    groups: report.pipeline.map((t, i) => ({
      label: t.call,
      values: [
        ...report.scenarios.map((s) => s.first.steps[i]?.wallSeconds ?? null),
        report.scenarios.at(-1)?.rerun.steps[i]?.wallSeconds ?? null,
      ],
    })),
  })
  const json = {
    ...report,
    derived: report.scenarios.map((s) => ({ workers: s.workers, ...deriveFigures(s) })),
  }
  await writeFile(join(dir, 'e2e.json'), JSON.stringify(json, null, 2) + '\n')
  await writeFile(join(dir, 'e2e.md'), markdown(report))
  await writeFile(join(dir, 'e2e.svg'), svg)
  console.log(markdown(report))
}
