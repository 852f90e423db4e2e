// The scale corpus (issue 13 item 6): espeak-ng reads the ARCTIC prompts once (en-us, default
// pitch), and sox turns each reading into N close voices — voice k speaks at a mean pitch of
// BASE_HZ + 12·k Hz, each utterance jittered by up to ±10 % — at 16 kHz, 16-bit mono, packed as
// deflated Festvox zips (`cmu_us_<spk>_arctic/wav/arctic_*.wav`, `etc/txt.done.data`).
// Everything is cached under bench/cache/scale/ (gitignored); a second run only re-packs what
// is missing.
// Usage: node --import tsx bench/scale/make-corpus.ts [--voices 18] [--prompts 1132] [--out DIR] [--data FILE]
//
// Hz → sox: espeak-ng's en-us voice at its default pitch (-p 50) has a median F0 of ~102 Hz
// (autocorrelation over voiced 40 ms frames), so a target of f Hz is `sox pitch` by
// 1200·log2(f / 102) cents. `pitch` keeps the duration and moves the formants with the F0 (a
// smaller or larger vocal tract), which is what separates voices in MFCC space.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { ZipFile } from 'yazl'
import { z } from 'zod'
import { parseWavHeader } from '../../tasks/wav/index.ts'
import { type Prompt, parsePrompts } from '../mfcc/speech-corpus.ts'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Median F0 of espeak-ng en-us at -p 50, Hz (measured; see the header). */
export const BASE_HZ = 102
/** Mean pitch of voice 0, Hz; voice k is VOICE0_HZ + STEP_HZ·k. */
export const VOICE0_HZ = 96
/** Pitch distance between neighbouring voices, Hz. */
export const STEP_HZ = 12
/** Largest per-utterance pitch jitter, as a fraction of the voice's pitch (±). */
export const JITTER = 0.1

/** One speaker's zip in the corpus. */
export const ScaleSpeaker = z.object({
  speaker: z.string(),
  hz: z.number(),
  file: z.string(),
  items: z.number(),
  seconds: z.number(),
  bytes: z.number(),
})
/** One speaker's zip in the corpus. */
export type ScaleSpeaker = z.infer<typeof ScaleSpeaker>

/** The corpus index, written as `corpus.json` next to the zips. */
export const ScaleCorpus = z.object({
  dir: z.string(),
  voices: z.number(),
  prompts: z.number(),
  speakers: z.array(ScaleSpeaker),
  seconds: z.number(),
  bytes: z.number(),
})
/** The corpus index, written as `corpus.json` next to the zips. */
export type ScaleCorpus = z.infer<typeof ScaleCorpus>

/** Options of makeScaleCorpus. */
export interface ScaleCorpusOptions {
  /** Number of voices (≤ 18 keeps pitches within 96–300 Hz); default 18. */
  voices: number
  /** First M prompts of the data file; default all 1,132. */
  prompts: number
  /** Folder of the zips and corpus.json; default bench/cache/scale/zips-<voices>x<prompts>. */
  out?: string
  /** cmuarctic.data; default fixtures/cmuarctic.data. */
  data?: string
  /** Concurrent espeak-ng / sox processes; default 2 (the machine's cores). */
  concurrency?: number
  onProgress?: (done: number, total: number) => void
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

async function forEachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: concurrency }, lane))
}

/** Speaker name of voice k: `p<Hz>` (p096 … p300). */
export function speakerName(k: number): string {
  return `p${String(VOICE0_HZ + STEP_HZ * k).padStart(3, '0')}`
}

/** Deterministic jitter in [-JITTER, +JITTER] for (speaker, prompt): no Math.random, same corpus everywhere. */
export function pitchJitter(speaker: string, promptId: string): number {
  const digest = createHash('sha256').update(`${speaker}/${promptId}`).digest()
  return (digest.readUInt32BE(0) / 0xffffffff) * 2 * JITTER - JITTER
}

/** Cents that move espeak's BASE_HZ to `hz`. */
export function centsFor(hz: number): number {
  return 1200 * Math.log2(hz / BASE_HZ)
}

async function writeAtomically(path: string, make: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${path}.tmp.wav`
  await make(tmp)
  await rename(tmp, path)
}

async function readPrompt(prompt: Prompt, path: string): Promise<void> {
  // Arguments, not a shell line: prompts contain quotes and commas.
  await writeAtomically(path, (tmp) => run('espeak-ng', ['-v', 'en-us', '-w', tmp, prompt.text]).then())
}

async function voiceUtterance(raw: string, path: string, hz: number): Promise<void> {
  const cents = centsFor(hz).toFixed(1)
  await writeAtomically(path, (tmp) =>
    run('sox', [raw, '-r', '16000', '-b', '16', '-c', '1', tmp, 'pitch', cents, 'rate', '16000']).then(),
  )
}

async function packSpeaker(speaker: string, prompts: Prompt[], wavDir: string, path: string) {
  const root = `cmu_us_${speaker}_arctic`
  const zip = new ZipFile()
  // A fixed mtime makes the zip (and so its CID) the same on every machine.
  const mtime = new Date('2026-01-01T00:00:00Z')
  const text = prompts.map((p) => `( ${p.id} "${p.text}" )\n`).join('')
  zip.addBuffer(Buffer.from(text), `${root}/etc/txt.done.data`, { mtime })
  for (const p of prompts)
    zip.addFile(join(wavDir, `${p.id}.wav`), `${root}/wav/${p.id}.wav`, { mtime, compress: true })
  zip.end()
  const tmp = `${path}.tmp`
  await pipeline(zip.outputStream, createWriteStream(tmp))
  await rename(tmp, path)
}

async function readCachedIndex(index: string, voices: number, prompts: number): Promise<ScaleCorpus | null> {
  if (!(await exists(index))) return null
  const cached = ScaleCorpus.safeParse(JSON.parse(await readFile(index, 'utf8')))
  if (!cached.success || cached.data.voices !== voices || cached.data.prompts !== prompts) return null
  const complete = await Promise.all(cached.data.speakers.map((s) => exists(join(cached.data.dir, s.file))))
  return complete.every(Boolean) ? cached.data : null
}

/** Builds (or finds cached) the scale corpus: `voices` speakers × `prompts` utterances, one zip per speaker. */
export async function makeScaleCorpus(options: ScaleCorpusOptions): Promise<ScaleCorpus> {
  const { voices, concurrency = 2 } = options
  if (voices < 1 || voices > 18) throw new Error(`--voices must be within 1–18, got ${voices}`)
  const cache = resolve(ROOT, 'bench/cache/scale')
  const out = resolve(options.out ?? join(cache, `zips-${voices}x${options.prompts}`))
  const all = parsePrompts(await readFile(options.data ?? resolve(ROOT, 'fixtures/cmuarctic.data'), 'utf8'))
  const prompts = all.slice(0, options.prompts)
  const index = join(out, 'corpus.json')
  const cached = await readCachedIndex(index, voices, prompts.length)
  if (cached) return cached

  const rawDir = join(cache, 'espeak')
  await mkdir(rawDir, { recursive: true })
  await mkdir(out, { recursive: true })
  const speakers = Array.from({ length: voices }, (_, k) => ({
    speaker: speakerName(k),
    hz: VOICE0_HZ + STEP_HZ * k,
  }))
  for (const s of speakers) await mkdir(join(cache, 'wav', s.speaker), { recursive: true })
  // Voice by prompt, so each espeak reading is made once and used by every voice right away.
  const total = prompts.length * speakers.length
  let done = 0
  await forEachLimited(prompts, concurrency, async (prompt) => {
    const raw = join(rawDir, `${prompt.id}.wav`)
    if (!(await exists(raw))) await readPrompt(prompt, raw)
    for (const { speaker, hz } of speakers) {
      const path = join(cache, 'wav', speaker, `${prompt.id}.wav`)
      if (!(await exists(path))) await voiceUtterance(raw, path, hz * (1 + pitchJitter(speaker, prompt.id)))
      if (++done % 500 === 0) options.onProgress?.(done, total)
    }
  })

  const packed: ScaleSpeaker[] = []
  await forEachLimited(speakers, concurrency, async ({ speaker, hz }) => {
    const wavDir = join(cache, 'wav', speaker)
    let seconds = 0
    for (const p of prompts) seconds += parseWavHeader(await readFile(join(wavDir, `${p.id}.wav`))).seconds
    const file = `cmu_us_${speaker}_arctic-0.90-release.zip`
    await packSpeaker(speaker, prompts, wavDir, join(out, file))
    const { size } = await stat(join(out, file))
    packed.push({ speaker, hz, file, items: prompts.length, seconds, bytes: size })
  })
  packed.sort((a, b) => a.hz - b.hz)
  const corpus: ScaleCorpus = {
    dir: out,
    voices,
    prompts: prompts.length,
    speakers: packed,
    seconds: packed.reduce((s, x) => s + x.seconds, 0),
    bytes: packed.reduce((s, x) => s + x.bytes, 0),
  }
  await writeFile(`${index}.tmp`, JSON.stringify(corpus, null, 2) + '\n')
  await rename(`${index}.tmp`, index)
  return corpus
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      voices: { type: 'string', default: '18' },
      prompts: { type: 'string', default: '1132' },
      out: { type: 'string' },
      data: { type: 'string' },
    },
  })
  const started = performance.now()
  const corpus = await makeScaleCorpus({
    voices: Number(values.voices),
    prompts: Number(values.prompts),
    out: values.out,
    data: values.data,
    onProgress: (done, total) => console.log(`voiced ${done} / ${total}`),
  })
  const items = corpus.speakers.reduce((s, x) => s + x.items, 0)
  console.log(
    `scale corpus: ${corpus.voices} voices × ${corpus.prompts} prompts = ${items} WAVs, ` +
      `${(corpus.seconds / 3600).toFixed(2)} h of speech, ${(corpus.bytes / 1e6).toFixed(0)} MB of zips ` +
      `in ${corpus.dir} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
