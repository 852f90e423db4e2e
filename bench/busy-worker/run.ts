// How long each task kind holds a worker's event loop (issue 14: heartbeats come from a timer
// that task work cannot block for more than 250 ms). Each kind runs as a worker runs it, in its
// own process (measure.ts), with the loop probed: FETCH_FESTVOX over the corpus zips, a long
// EXTRACT_MFCC shard at 16 kHz and one resampled to 22.05 kHz, LEARN (its thread: tfjs load,
// frame preparation, fit, test, export) and, for comparison, LEARN's training on the worker's
// own thread as before; first the machine's floor: an idle process, and one with a spinning thread.
// Run: node --import tsx bench/busy-worker/run.ts [--quick]
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { makeScaleCorpus } from '../scale/make-corpus.ts'
import type { LoopStall } from '../support/loop-stall.ts'
import { loadNow, machineInfo } from '../support/machine.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } })
const quick = flags.quick
/** The heartbeat interval the busy-worker e2e test uses: a worker is lost after 2.5 of them. */
const HEARTBEAT_MS = 200
const loadBefore = loadNow()

interface Measured {
  kind: string
  output: string | null
  stats?: Record<string, number>
  wallMs: number
  cpuMs: number
  stall: LoopStall
}

// The tasks as `banzai worker` runs them: from the build, when there is one (threads then load
// plain JavaScript; through tsx, LEARN's thread would spend ~0.3–1 s more CPU loading TensorFlow.js).
const built = existsSync(resolve(ROOT, 'dist/tasks/learn/learn-thread.js'))

function measure(kind: string, dataDir: string, config: object): Measured {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'bench/busy-worker/measure.ts', kind, dataDir, JSON.stringify({ ...config, built })],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 },
  )
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as Measured
  console.log(
    `${kind}: ${result.wallMs.toFixed(0)} ms wall, ${result.cpuMs.toFixed(0)} CPU ms, loop held ≤ ${result.stall.maxTimerLateMs.toFixed(0)} ms`,
  )
  return result
}

const corpus = await makeScaleCorpus({
  voices: quick ? 2 : 4,
  prompts: quick ? 100 : 300,
  out: join(tmpdir(), `banzai-bench-busy-zips-${quick ? 'quick' : 'full'}`),
})
const items = corpus.speakers.reduce((s, x) => s + x.items, 0)
const dataDir = await mkdtemp(join(tmpdir(), 'banzai-bench-busy-'))
const learnArgs = [{ epochs: quick ? 2 : 3 }]
const mfcc16 = [32, 24, 1, 8000, 16000]
const mfcc22 = [32, 24, 1, 8000, 22050, { nfft: 1024 }]
const rows: { what: string; run: Measured }[] = []
try {
  rows.push({
    what: 'idle process (the machine’s load alone), 5 s',
    run: measure('idle', dataDir, { ms: 5_000 }),
  })
  rows.push({
    what: 'a thread spinning, this thread idle (the floor for a busy compute thread), 10 s',
    run: measure('spin', dataDir, { ms: 10_000 }),
  })
  const zips = corpus.speakers.map((s) => join(corpus.dir, s.file))
  const fetch = measure('fetch', dataDir, { zips })
  rows.push({ what: `FETCH_FESTVOX, ${zips.length} zips, ${items} WAVs`, run: fetch })
  const short = quick ? 100 : 300
  rows.push({
    what: `EXTRACT_MFCC, one shard of ${short} WAVs at 16 kHz`,
    run: measure('mfcc', dataDir, { input: fetch.output, count: short, args: mfcc16 }),
  })
  const long = quick ? 10 : 40
  rows.push({
    what: `EXTRACT_MFCC, one shard of ${long} WAVs resampled to 22.05 kHz`,
    run: measure('mfcc', dataDir, { input: fetch.output, count: long, args: mfcc22 }),
  })
  const all = measure('mfcc', dataDir, { input: fetch.output, count: items, args: mfcc16 })
  rows.push({ what: `EXTRACT_MFCC, one shard of all ${items} WAVs at 16 kHz`, run: all })
  const learn = measure('learn', dataDir, { input: all.output, args: learnArgs })
  rows.push({ what: `LEARN (its thread), ${items} items, ${learnArgs[0]!.epochs} epochs`, run: learn })
  const inline = measure('learn-inline', dataDir, { input: all.output, args: learnArgs })
  rows.push({ what: 'LEARN’s training and export on the worker’s own thread (before)', run: inline })
} finally {
  await rm(dataDir, { recursive: true, force: true })
}

const report = { machine: machineInfo(loadBefore), quick, built, heartbeatMs: HEARTBEAT_MS, rows }
const m = report.machine
const f = (n: number, digits = 0): string => n.toFixed(digits)
const learnRow = rows.find((r) => r.run.kind === 'learn')!.run
const inlineRow = rows.find((r) => r.run.kind === 'learn-inline')!.run
const md = `# Busy workers: how long each task holds the worker's event loop

${m.node} on ${m.cpu} (${m.cores} cores; 1-min load average ${f(m.loadAverage1m.before, 1)} before, ${f(m.loadAverage1m.after, 1)}
after: other sessions share the machine, and a thread waiting for a core shows as a stall too —
the first two rows are that floor: an idle process, and one whose only work is a spinning thread, as
a worker's MFCC or LEARN thread spins).${quick ? ' **Quick run.**' : ''} Each kind runs as a worker runs it, in a process of its
own (\`bench/busy-worker/measure.ts\`), the embedded store on disk, the tasks ${built ? 'from the build (`dist/`, as `banzai worker` runs them)' : 'from the sources through tsx (no build found)'}. *Timer late* is the longest gap between two
ticks of a 10 ms interval, less 10 ms: how late the heartbeat timer can fire. *Delay* is
\`perf_hooks.monitorEventLoopDelay\` (10 ms resolution). CPU counts every thread of the process.
A worker is lost after 2.5 heartbeat intervals of silence: at a ${HEARTBEAT_MS} ms heartbeat (the e2e test's),
a stall must stay under ${f(1.5 * HEARTBEAT_MS)} ms; at the 1 s default, under 1.5 s. Goal: ≤ 250 ms.

| task run | wall ms | CPU ms | timer late, max | delay max / p99 |
| --- | ---: | ---: | ---: | ---: |
${rows.map((r) => `| ${r.what} | ${f(r.run.wallMs)} | ${f(r.run.cpuMs)} | ${f(r.run.stall.maxTimerLateMs)} ms | ${f(r.run.stall.maxDelayMs)} / ${f(r.run.stall.p99DelayMs)} ms |`).join('\n')}

LEARN in its thread vs on the worker's thread: ${f(learnRow.wallMs / inlineRow.wallMs, 2)}× the wall time,
${f(learnRow.cpuMs / inlineRow.cpuMs, 2)}× the CPU (the thread loads TensorFlow.js once per order; the frames cross as
transferred buffers).
Made by \`node --import tsx bench/busy-worker/run.ts${quick ? ' --quick' : ''}\` on ${m.date}; corpus: ${corpus.voices} voices × ${corpus.prompts} prompts
from \`bench/scale/make-corpus.ts\`.
`
await writeFile(resolve(ROOT, 'bench/results/busy-worker.json'), JSON.stringify(report, null, 2) + '\n')
// Text after this line in the results page is hand-written (figures of older code) and kept.
const HAND_WRITTEN = '<!-- hand-written -->'
const page = resolve(ROOT, 'bench/results/busy-worker.md')
const previous = existsSync(page) ? readFileSync(page, 'utf8') : ''
const kept = previous.includes(HAND_WRITTEN) ? previous.slice(previous.indexOf(HAND_WRITTEN)) : ''
await writeFile(page, kept ? `${md}\n${kept}` : md)
console.log('bench/results/busy-worker.json and busy-worker.md written')
