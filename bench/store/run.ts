// The store for many small blobs (issue 13 item 2): per-item store overhead at 20k small blobs
// (embedded store, `sync: batch` as workers use it, and `each` for comparison); FETCH_FESTVOX
// of the scale corpus (bench/scale/make-corpus.ts) on one worker, in MB/s; EXTRACT_MFCC's
// audio-s per CPU-s inside a task run (store I/O included) against the engine alone.
// Writes bench/results/store.json and store.md.
// Usage: node --import tsx bench/store/run.ts [--quick] [--voices 18] [--prompts 1132]
import { readdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { makeScaleCorpus } from '../scale/make-corpus.ts'
import { loadNow, machineInfo } from '../support/machine.ts'
import { measureFetch } from './measure-fetch.ts'
import { measureMfcc } from './measure-mfcc.ts'
import { measurePuts } from './measure-puts.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    voices: { type: 'string' },
    prompts: { type: 'string' },
  },
})
const quick = flags.quick
const voices = Number(flags.voices ?? (quick ? 2 : 18))
const prompts = Number(flags.prompts ?? (quick ? 100 : 1132))
/** Goals of issue 13: ≤ 0.2 ms per small blob; 627 MB in ≤ 20 s, so ≥ 31.4 MB/s. */
const GOAL_MS_PER_ITEM = 0.2
const GOAL_MB_PER_S = 627 / 20

const loadBefore = loadNow()
const batch = await measurePuts('batch', quick ? 2_000 : 20_000)
console.log(
  `puts, sync batch: ${batch.cpuMsPerItem.toFixed(3)} CPU ms / ${batch.wallMsPerItem.toFixed(3)} wall ms per blob`,
)
const each = await measurePuts('each', quick ? 200 : 1_000)
console.log(
  `puts, sync each: ${each.cpuMsPerItem.toFixed(3)} CPU ms / ${each.wallMsPerItem.toFixed(3)} wall ms per blob`,
)

const corpus = await makeScaleCorpus({
  voices,
  prompts,
  onProgress: (done, total) => console.log(`corpus: voiced ${done} / ${total}`),
})
const fetch = await measureFetch(
  corpus.speakers.map((s) => join(corpus.dir, s.file)),
  corpus.bytes,
)
console.log(
  `FETCH: ${fetch.items} WAVs, ${(fetch.zipBytes / 1e6).toFixed(0)} MB in ${fetch.wallSeconds.toFixed(1)} s (${fetch.mbPerSecond.toFixed(1)} MB/s, ${fetch.cpuSeconds.toFixed(1)} CPU s), loop held ≤ ${fetch.maxLoopDelayMs.toFixed(0)} ms`,
)
const wavDir = resolve(ROOT, 'bench/cache/scale/voices', corpus.speakers[0]!.voice)
const wavs = (await readdir(wavDir)).filter((f) => f.endsWith('.wav')).sort()
const mfcc = await measureMfcc(wavs.slice(0, quick ? 100 : 1_132).map((f) => join(wavDir, f)))
console.log(
  `EXTRACT_MFCC: ${mfcc.taskSpeed.toFixed(0)} audio-s per CPU-s in a task run, engine alone ${mfcc.engineSpeed.toFixed(0)}`,
)

const report = {
  machine: machineInfo(loadBefore),
  quick,
  goals: { msPerItem: GOAL_MS_PER_ITEM, fetchMbPerSecond: GOAL_MB_PER_S },
  puts: { batch, each },
  corpus: {
    voices: corpus.voices,
    prompts: corpus.prompts,
    items: corpus.speakers.reduce((s, x) => s + x.items, 0),
    hours: corpus.seconds / 3600,
    megabytes: corpus.bytes / 1e6,
  },
  fetch,
  mfcc,
}
const f = (n: number, digits = 1): string => n.toFixed(digits)
const m = report.machine
const md = `# Store for many small blobs

Embedded store, ${m.node} on ${m.cpu} (${m.cores} cores; 1-min load average ${f(m.loadAverage1m.before)} before,
${f(m.loadAverage1m.after)} after: other sessions share the machine, and wall times suffer most).${quick ? ' **Quick run.**' : ''}

| measure | value | goal |
| --- | ---: | ---: |
| per small blob (${batch.blobBytes} B), \`sync: batch\` + one flush, ${batch.count} puts: CPU | ${f(batch.cpuMsPerItem, 3)} ms | ≤ ${GOAL_MS_PER_ITEM} ms |
| same, wall (flush ${f(batch.flushMs, 0)} ms of it) | ${f(batch.wallMsPerItem, 3)} ms | |
| per small blob, \`sync: each\` (fsync per file, the old way), ${each.count} puts: wall | ${f(each.wallMsPerItem, 3)} ms | |
| FETCH_FESTVOX, ${fetch.zips} zips, ${f(fetch.zipBytes / 1e6, 0)} MB, ${fetch.items} WAVs, one worker: wall | ${f(fetch.wallSeconds)} s (${f(fetch.mbPerSecond)} MB/s) | ≥ ${f(GOAL_MB_PER_S)} MB/s |
| same, CPU of the worker | ${f(fetch.cpuSeconds)} s (${f(fetch.zipBytes / 1e6 / fetch.cpuSeconds)} MB per CPU-s) | |
| longest event-loop stall during FETCH (heartbeats wait this long at most) | ${f(fetch.maxLoopDelayMs, 0)} ms | ≤ 250 ms |
| EXTRACT_MFCC in a task run (store read, .npy put, shard, flush), ${mfcc.items} items | ${f(mfcc.taskSpeed, 0)} audio-s / CPU-s | |
| EXTRACT_MFCC engine alone, same WAVs, same process | ${f(mfcc.engineSpeed, 0)} audio-s / CPU-s | |
| store work per MFCC item, measured alone (WAV read and verified, .npy put, shard, flush) | ${f(mfcc.storeCpuMsPerItem, 2)} CPU ms | |
| same, as task run − engine alone (two passes subtracted: noisier) | ${f(mfcc.taskMinusEngineCpuMsPerItem, 2)} CPU ms | |

Creating a file costs more here than on most machines: the file system is ext4 without a journal, whose
inode allocator skips every inode freed in the last minutes (\`recently_deleted\`, seen with \`perf\`), and
benchmarks and tests around it delete tens of thousands of files; each blob is one new file. On tmpfs the
MFCC item's store work measured 0.25 CPU ms (read 0.13, .npy put 0.1), against 0.5–1.0 on this disk.
"task − engine" subtracts two passes of ~2.5 s CPU each and can come out below zero under load.

Corpus (\`bench/scale/make-corpus.ts\`): ${report.corpus.voices} voices × ${report.corpus.prompts} prompts = ${report.corpus.items} WAVs,
${f(report.corpus.hours, 2)} h of speech, ${f(report.corpus.megabytes, 0)} MB of deflated Festvox zips.
Made by \`node --import tsx bench/store/run.ts${quick ? ' --quick' : ''}\` on ${m.date}.
`
await writeFile(resolve(ROOT, 'bench/results/store.json'), JSON.stringify(report, null, 2) + '\n')
await writeFile(resolve(ROOT, 'bench/results/store.md'), md)
console.log('bench/results/store.json and store.md written')
