// FETCH_FESTVOX of the scale corpus on one worker, in MB/s, with the floor beside it (issue 13
// item 2): the same bytes read, hashed and written with no store (measure-floor.ts). Rounds
// alternate floor and FETCH so that both see the same load; the best round of each is reported.
// Writes bench/results/store-fetch.json and store-fetch.md.
// Usage: node --import tsx bench/store/fetch-only.ts [--rounds 2] [--voices 18] [--prompts 1132]
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { makeScaleCorpus } from '../scale/make-corpus.ts'
import { loadNow, machineInfo } from '../support/machine.ts'
import { type FloorFigures, measureFloor } from './measure-floor.ts'
import { type FetchFigures, measureFetch } from './measure-fetch.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    voices: { type: 'string', default: '18' },
    prompts: { type: 'string', default: '1132' },
  },
})
/** Issue 13: 627 MB in ≤ 20 s on one worker, so ≥ 31.4 MB/s. */
const GOAL_MB_PER_S = 627 / 20

const loadBefore = loadNow()
const corpus = await makeScaleCorpus({ voices: Number(flags.voices), prompts: Number(flags.prompts) })
const zips = corpus.speakers.map((s) => join(corpus.dir, s.file))
const rounds: { floor: FloorFigures; fetch: FetchFigures; load: number }[] = []
for (let round = 1; round <= Number(flags.rounds); round++) {
  const floor = await measureFloor(zips, corpus.bytes)
  const fetch = await measureFetch(zips, corpus.bytes)
  rounds.push({ floor, fetch, load: loadNow() })
  console.log(
    `round ${round}: floor ${floor.copySeconds.toFixed(1)} s copy, ${floor.extractSeconds.toFixed(1)} s copy + extract; ` +
      `FETCH ${fetch.wallSeconds.toFixed(1)} s (${fetch.mbPerSecond.toFixed(1)} MB/s, ${fetch.cpuSeconds.toFixed(1)} CPU s), load ${loadNow().toFixed(1)}`,
  )
}
const best = <T>(values: T[], key: (v: T) => number): T => values.reduce((a, b) => (key(b) < key(a) ? b : a))
const floor = best(
  rounds.map((r) => r.floor),
  (f) => f.extractSeconds,
)
const fetch = best(
  rounds.map((r) => r.fetch),
  (f) => f.wallSeconds,
)
const report = { machine: machineInfo(loadBefore), goalMbPerSecond: GOAL_MB_PER_S, floor, fetch, rounds }
const mb = corpus.bytes / 1e6
const f = (n: number, digits = 1): string => n.toFixed(digits)
const m = report.machine
const md = `# FETCH_FESTVOX at the real size, one worker, and its floor

${m.node} on ${m.cpu} (${m.cores} cores; 1-min load average ${f(m.loadAverage1m.before)} before,
${f(m.loadAverage1m.after)} after: other sessions share the machine, and wall times suffer most).
Corpus: ${corpus.voices} voices × ${corpus.prompts} prompts, ${f(mb, 0)} MB of deflated zips,
${f(floor.entryBytes / 1e6, 0)} MB of WAVs. Best of ${rounds.length} rounds (floor and FETCH alternate).

| measure | wall | MB/s (zip bytes) | CPU |
| --- | ---: | ---: | ---: |
| floor: read + SHA-256 + write the zips, one fsync each | ${f(floor.copySeconds)} s | ${f(mb / floor.copySeconds)} | ${f(floor.copyCpuSeconds)} s |
| floor: that, plus inflate + SHA-256 + write every entry (one file per zip), fsync | ${f(floor.extractSeconds)} s | ${f(mb / floor.extractSeconds)} | ${f(floor.extractCpuSeconds)} s |
| FETCH_FESTVOX, ${fetch.items} WAVs, embedded store (\`sync: batch\`), flushed | ${f(fetch.wallSeconds)} s | ${f(fetch.mbPerSecond)} | ${f(fetch.cpuSeconds)} s |
| goal (627 MB in 20 s) | | ≥ ${f(GOAL_MB_PER_S)} | |

FETCH is ${f(fetch.wallSeconds / floor.extractSeconds, 2)}× the floor's wall time (the floor runs on one thread and
makes ${corpus.speakers.length * 2} files; FETCH makes one per WAV and per 256 KiB block of each zip).
Longest event-loop stall during FETCH: ${f(fetch.maxLoopDelayMs, 0)} ms.
Made by \`node --import tsx bench/store/fetch-only.ts\` on ${m.date}.
`
await writeFile(resolve(ROOT, 'bench/results/store-fetch.json'), JSON.stringify(report, null, 2) + '\n')
await writeFile(resolve(ROOT, 'bench/results/store-fetch.md'), md)
console.log('bench/results/store-fetch.json and store-fetch.md written')
