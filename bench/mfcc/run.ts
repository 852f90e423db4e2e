// MFCC throughput: audio seconds processed per CPU second, one thread, for EXTRACT_MFCC's
// default engine and for engine "meyda", over ≥ 10 minutes of synthesized speech.
// Run: node --import tsx bench/mfcc/run.ts [--prompts FILE] [--minutes 10] [--repeats 3]
// (needs espeak-ng and sox the first time, to fill bench/cache/mfcc-speech/).
import { loadNow, machineInfo } from '../support/machine.ts'
import { readFile, mkdir, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { computeFeatures, parseMfccArgs, resampleMono, type MfccParams } from '../../tasks/mfcc/index.ts'
import { encodeNpy } from '../../tasks/npy/index.ts'
import { decodeWav } from '../../tasks/wav/index.ts'
import { cpuSeconds, measurePasses, median, type Pass } from './measure.ts'

const audioSecondsPerCpu = (audio: number, cpu: number): number => audio / cpu
import { buildCorpus, parsePrompts } from './speech-corpus.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TARGET = 2_500

const { values: flags } = parseArgs({
  options: {
    prompts: {
      type: 'string',
      default: process.env.BANZAI_BENCH_PROMPTS ?? resolve(ROOT, '../shared/fixtures/cmuarctic.data'),
    },
    minutes: { type: 'string', default: '10' },
    repeats: { type: 'string', default: '3' },
  },
})
const minutes = Number(flags.minutes)
const repeats = Number(flags.repeats)

const prompts = parsePrompts(await readFile(flags.prompts, 'utf8'))
const corpus = await buildCorpus(prompts, resolve(ROOT, 'bench/cache/mfcc-speech'), minutes * 60, (n, s) => {
  if (n % 50 === 0) console.log(`corpus: ${n} files, ${s.toFixed(0)} s`)
})
const wavs = await Promise.all(corpus.map((f) => readFile(f.path)))
const audioSeconds = corpus.reduce((n, f) => n + f.seconds, 0)
console.log(`corpus: ${corpus.length} utterances, ${audioSeconds.toFixed(1)} s of 16 kHz speech`)

const decodeStart = cpuSeconds()
const signals = wavs.map((w) => decodeWav(w).channelData[0]!)
const decodeCpu = cpuSeconds() - decodeStart

interface EngineResult {
  engine: string
  passes: Pass[]
  medianSpeed: number
  bestSpeed: number
}

function bench(engine: string, params: MfccParams, passes: number, work?: (i: number) => void): EngineResult {
  const each = work ?? ((i: number) => void computeFeatures(signals[i]!, params))
  // Warm-up: let V8 optimise the hot loops before measuring.
  for (let i = 0; i < Math.min(20, signals.length); i++) each(i)
  const measured = measurePasses(
    signals.map((_, i) => i),
    audioSeconds,
    passes,
    each,
  )
  const speeds = measured.map((p) => p.speed)
  const result = { engine, passes: measured, medianSpeed: median(speeds), bestSpeed: Math.max(...speeds) }
  console.log(
    `${engine}: median ${result.medianSpeed.toFixed(0)} audio-s per CPU-s (best ${result.bestSpeed.toFixed(0)}, ${passes} passes)`,
  )
  return result
}

const banzai = parseMfccArgs([32, 24, 1, 8000, 16000])
const meyda = parseMfccArgs([32, 24, 1, 8000, 16000, { engine: 'meyda' }])
const loadBefore = loadNow()
const results = [
  bench('banzai (default)', banzai, repeats),
  bench('banzai, whole item (decode + MFCC + .npy)', banzai, repeats, (i) => {
    const m = computeFeatures(decodeWav(wavs[i]!).channelData[0]!, banzai)
    encodeNpy(m.data, [m.frames, m.numcep])
  }),
  // Meyda is an order of magnitude slower: one pass is enough to rank it.
  bench('meyda', meyda, 1),
]

// Items at another rate pay for libsamplerate (best quality) first: the first minute, at 22,050 Hz.
const minute: Float32Array[] = []
let minuteSeconds = 0
for (const s of signals) {
  if (minuteSeconds >= 60) break
  minute.push(await resampleMono(s, 16_000, 22_050))
  minuteSeconds += s.length / 16_000
}
const resampleStart = cpuSeconds()
for (const s of minute) computeFeatures(await resampleMono(s, 22_050, 16_000), banzai)
const resampled = audioSecondsPerCpu(minuteSeconds, cpuSeconds() - resampleStart)
console.log(`banzai, 22,050 Hz input (resample + MFCC): ${resampled.toFixed(0)} audio-s per CPU-s`)
const machine = machineInfo(loadBefore)
const loadAfter = machine.loadAverage1m.after

const report = {
  ...machine,
  corpus: {
    utterances: corpus.length,
    audioSeconds,
    sampleRate: 16000,
    source: 'espeak-ng (en-us) + sox, CMU ARCTIC prompts',
  },
  args: 'EXTRACT_MFCC(32, 24, 1, 8000, 16000)',
  decodeSpeed: audioSeconds / decodeCpu,
  resampledInput: { rate: 22_050, audioSeconds: minuteSeconds, audioSecondsPerCpuSecond: resampled },
  target: {
    engine: 'banzai (default)',
    audioSecondsPerCpuSecond: TARGET,
    met: results[0]!.medianSpeed >= TARGET,
  },
  results,
}
const rows = results.map(
  (r) => `| ${r.engine} | ${r.medianSpeed.toFixed(0)} | ${r.bestSpeed.toFixed(0)} | ${r.passes.length} |`,
)
const md = [
  '# MFCC throughput',
  '',
  `Audio seconds processed per CPU second (\`process.cpuUsage\`), one thread; ${corpus.length} utterances, ${(audioSeconds / 60).toFixed(1)} min of`,
  `synthesized 16 kHz speech; ${report.args}. ${report.node} on ${report.cpu} (${report.cores} cores, 1-min load average`,
  `${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after: other processes share the machine and slow every figure).`,
  '',
  '| engine | median | best | passes |',
  '| --- | ---: | ---: | ---: |',
  ...rows,
  '',
  `WAV decoding alone: ${report.decodeSpeed.toFixed(0)} audio-s per CPU-s. A 22,050 Hz input (libsamplerate best`,
  `quality to 16 kHz, then MFCC; ${minuteSeconds.toFixed(0)} s): ${resampled.toFixed(0)} audio-s per CPU-s. Target for the default engine: ${TARGET} (${report.target.met ? 'met' : 'not met'}).`,
  `Made by \`node --import tsx bench/mfcc/run.ts\` on ${report.date}.`,
  '',
].join('\n')
await mkdir(resolve(ROOT, 'bench/results'), { recursive: true })
await writeFile(resolve(ROOT, 'bench/results/mfcc.json'), JSON.stringify(report, null, 2) + '\n')
await writeFile(resolve(ROOT, 'bench/results/mfcc.md'), md)
console.log(md)
