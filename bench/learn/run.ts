// LEARN's training speed and accuracy: ms per 1,000 training frames for the v1 loop
// (trainOnBatch), LEARN v2 (fitSeeded) and a bare model.fit of the same model and frames, at
// LEARN's defaults (10 epochs, 100k training frames, batch "auto" = 1024); then the held-out accuracy
// on 18 close espeak voices. Run: node --import tsx bench/learn/run.ts [--quick] [--prompts N]
// (needs espeak-ng and sox the first time, to fill bench/cache/learn-voices/).
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ensureBackend } from '../../tasks/learn/backend.ts'
import { AUTO_BATCH_SIZE, DEFAULT_LEARN_OPTIONS, MAX_TRAIN_FRAMES } from '../../tasks/learn/options.ts'
import { trainOnFeatures } from '../../tasks/learn/train.ts'
import { parsePrompts } from '../mfcc/speech-corpus.ts'
import { loadNow, machineInfo } from '../support/machine.ts'
import { type SpeedRun, syntheticFrames, timeLoop } from './speed.ts'
import { PITCH_SHIFT_VOICES, VOICES, type VoiceCorpusKind, buildVoiceCorpus } from './voice-corpus.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    prompts: { type: 'string', default: '60' },
  },
})
const loadBefore = loadNow()
const { backend } = await ensureBackend()

// Speed: the classifier LEARN builds for 18 speakers (168 → 64 → 64 → 18), on 100k frames.
const frames = flags.quick ? 20_000 : MAX_TRAIN_FRAMES
const epochs = flags.quick ? 2 : DEFAULT_LEARN_OPTIONS.epochs
const shape = { hidden: DEFAULT_LEARN_OPTIONS.hidden, classes: VOICES.length }
const data = syntheticFrames(frames, 168, shape.classes, 3)
const validation = syntheticFrames(Math.round(frames * 0.15), 168, shape.classes, 4)
// Warm-up (kernel set-up, V8): one small fit, not measured.
await timeLoop('bare model.fit', syntheticFrames(2_048, 168, shape.classes, 5), shape, {
  epochs: 1,
  batchSize: 512,
})
const runs: SpeedRun[] = []
for (const loop of ['bare model.fit', 'LEARN v2 (fitSeeded)'] as const) {
  const run = await timeLoop(loop, data, shape, { epochs, batchSize: AUTO_BATCH_SIZE }, validation)
  console.log(JSON.stringify(run))
  runs.push(run)
}
// The v1 loop costs the same per frame in every epoch: one epoch of it is measured.
const v1 = await timeLoop(
  'trainOnBatch loop (LEARN v1)',
  data,
  shape,
  { epochs: 1, batchSize: 128 },
  validation,
)
console.log(JSON.stringify(v1))
runs.push(v1)
const [bare, v2] = [runs[0]!, runs[1]!]

// Accuracy: LEARN's defaults on 18 voices × N prompts (MFCCs as the seed pipeline computes them).
const promptCount = flags.quick ? 20 : Number(flags.prompts)
const prompts = parsePrompts(
  await readFile(resolve(ROOT, '../shared/fixtures/cmuarctic.data'), 'utf8'),
).slice(0, promptCount)
/** LEARN at its defaults on one corpus: held-out metrics and wall seconds per epoch. */
async function accuracyOn(kind: VoiceCorpusKind) {
  const dir = resolve(
    ROOT,
    kind === 'variants' ? 'bench/cache/learn-voices' : 'bench/cache/learn-pitch-shift',
  )
  const corpus = await buildVoiceCorpus(
    prompts,
    dir,
    (n) => {
      if (n % 250 === 0) console.log(`${kind} corpus: ${n} recordings`)
    },
    kind,
  )
  const epochMs: number[] = []
  let last = performance.now()
  const outcome = await trainOnFeatures(corpus.recordings, DEFAULT_LEARN_OPTIONS, {
    onEpoch: () => {
      const now = performance.now()
      epochMs.push(now - last)
      last = now
    },
  })
  outcome.model.dispose()
  const test = outcome.metrics.test
  const result = {
    corpus: kind,
    voices: kind === 'variants' ? VOICES.length : PITCH_SHIFT_VOICES.length,
    prompts: promptCount,
    recordings: corpus.recordings.length,
    audioSeconds: Math.round(corpus.audioSeconds),
    frames: outcome.frames,
    batchSize: outcome.batchSize,
    secondsPerEpoch: epochMs.map((ms) => Math.round(ms) / 1000),
    test: test !== null && 'accuracy' in test ? test : null,
  }
  console.log(JSON.stringify({ ...result, test: { ...result.test, confusion: undefined } }))
  return result
}
const accuracy = [await accuracyOn('variants'), await accuracyOn('pitch-shift')]

const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100
const report = {
  machine: machineInfo(loadBefore),
  backend,
  speed: {
    frames,
    epochs,
    runs,
    goals: {
      v2VsBareWall: ratio(v2.msPer1000Frames, bare.msPer1000Frames),
      v2VsBareCpu: ratio(v2.cpuSeconds, bare.cpuSeconds),
      v1VsV2Wall: ratio(v1.msPer1000Frames, v2.msPer1000Frames),
      v1VsV2Cpu: ratio(v1.cpuSeconds / v1.epochs, v2.cpuSeconds / v2.epochs),
    },
  },
  accuracy,
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
const CORPUS_NAMES = {
  variants: '18 espeak-ng male en-us variants, espeak pitch 3 units apart, ±10 % jitter',
  'pitch-shift': 'one en-us reading moved by `sox pitch` to 96 + 12·k Hz, ±10 % jitter (as bench/scale)',
}
const md = [
  '# LEARN: training speed and held-out accuracy',
  '',
  `${report.machine.date}, ${report.machine.cpu} × ${report.machine.cores}, Node ${report.machine.node}, tfjs backend **${backend}**, load average ${loadBefore.toFixed(1)} → ${report.machine.loadAverage1m.after.toFixed(1)}.`,
  `Speed: LEARN's classifier for 18 speakers (168 → 64 → 64 → 18) on ${frames.toLocaleString('en')} synthetic training frames (validation ${validation.x.shape[0].toLocaleString('en')}); v1 measured over 1 epoch (its cost per frame does not change between epochs).`,
  '',
  '| loop | batch | epochs | wall s | CPU s | ms per 1,000 frames (wall) | s per epoch |',
  '| ---- | ----- | ------ | ------ | ----- | -------------------------- | ----------- |',
  ...runs.map(
    (r) =>
      `| ${r.loop} | ${r.batchSize} | ${r.epochs} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${r.msPer1000Frames.toFixed(1)} | ${r.secondsPerEpoch.toFixed(2)} |`,
  ),
  '',
  `- LEARN v2 / bare fit: **${report.speed.goals.v2VsBareWall}×** wall, ${report.speed.goals.v2VsBareCpu}× CPU (goal ≤ 1.3×).`,
  `- v1 / LEARN v2 per frame: **${report.speed.goals.v1VsV2Wall}×** wall, ${report.speed.goals.v1VsV2Cpu}× CPU (goal ≥ 5×).`,
  '',
  `Accuracy: LEARN's defaults on 18 voices × ${promptCount} ARCTIC prompts, MFCCs as EXTRACT_MFCC(32, 24, 1, 8000, 16000).`,
  '',
  '| corpus | recordings | minutes | batch | training frames | test recordings | test.accuracy | frame accuracy | s per epoch (wall) |',
  '| ------ | ---------- | ------- | ----- | --------------- | --------------- | ------------- | -------------- | ------------------ |',
  ...accuracy.map(
    (a) =>
      `| ${CORPUS_NAMES[a.corpus]} | ${a.recordings} | ${(a.audioSeconds / 60).toFixed(0)} | ${a.batchSize} | ${a.frames.train.toLocaleString('en')} | ${a.test?.recordings ?? 0} | **${a.test?.accuracy.toFixed(3) ?? '-'}** | ${a.test?.frameAccuracy.toFixed(3) ?? '-'} | ${mean(a.secondsPerEpoch).toFixed(1)} |`,
  ),
  '',
].join('\n')
await mkdir(resolve(ROOT, 'bench/results'), { recursive: true })
await writeFile(resolve(ROOT, 'bench/results/learn.json'), JSON.stringify(report, null, 2) + '\n')
await writeFile(resolve(ROOT, 'bench/results/learn.md'), md)
console.log(md)
