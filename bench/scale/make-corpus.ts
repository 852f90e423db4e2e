// The scale corpus (issue 13 item 6): espeak-ng reads the ARCTIC prompts in 18 different en-us
// voice variants (bench/learn/voice-corpus.ts: m1…m8, adam, david, …: different timbre and
// formants), their base pitches apart, each utterance's pitch jittered by up to ±10 %, at 16 kHz,
// 16-bit mono, packed as deflated Festvox zips (`cmu_us_<spk>_arctic/wav/arctic_*.wav`,
// `etc/txt.done.data`). The first recipe pitch-shifted ONE reading per prompt with sox, so every
// voice was the same reading scaled, and no model could tell them apart (best ≈ 0.39).
// Everything is cached under bench/cache/scale/ (gitignored); a second run only re-packs what
// is missing.
// Usage: node --import tsx bench/scale/make-corpus.ts [--voices 18] [--prompts 1132] [--out DIR] [--data FILE]
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ZipFile } from 'yazl'
import { z } from 'zod'
import { parseWavHeader } from '../../tasks/wav/index.ts'
import { pitchOf, synthesize, VOICES } from '../learn/voice-corpus.ts'
import { type Prompt, parsePrompts } from '../mfcc/speech-corpus.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** One speaker's zip in the corpus. */
export const ScaleSpeaker = z.object({
  speaker: z.string(),
  /** espeak-ng en-us variant. */
  voice: z.string(),
  /** Base espeak pitch (`-p`) of the voice, before the per-utterance jitter. */
  pitch: z.number(),
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
  /** Number of voices (at most the 18 variants); default 18. */
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
  const out = resolve(options.out ?? join(cache, `zips-variants-${voices}x${options.prompts}`))
  const all = parsePrompts(await readFile(options.data ?? resolve(ROOT, 'fixtures/cmuarctic.data'), 'utf8'))
  const prompts = all.slice(0, options.prompts)
  const index = join(out, 'corpus.json')
  const cached = await readCachedIndex(index, voices, prompts.length)
  if (cached) return cached

  await mkdir(out, { recursive: true })
  const speakers = VOICES.slice(0, voices).map((voice, k) => ({ speaker: voice, voice, k }))
  for (const s of speakers) await mkdir(join(cache, 'voices', s.voice), { recursive: true })
  const jobs = prompts.flatMap((prompt) => speakers.map((s) => ({ prompt, ...s })))
  let done = 0
  await forEachLimited(jobs, concurrency, async ({ prompt, voice, k }) => {
    const path = join(cache, 'voices', voice, `${prompt.id}.wav`)
    if (!(await exists(path))) await synthesize(prompt.text, voice, pitchOf(k, prompt.id), path)
    if (++done % 500 === 0) options.onProgress?.(done, jobs.length)
  })

  const packed: ScaleSpeaker[] = []
  await forEachLimited(speakers, concurrency, async ({ speaker, voice, k }) => {
    const wavDir = join(cache, 'voices', voice)
    let seconds = 0
    for (const p of prompts) seconds += parseWavHeader(await readFile(join(wavDir, `${p.id}.wav`))).seconds
    const file = `cmu_us_${speaker}_arctic-0.90-release.zip`
    await packSpeaker(speaker, prompts, wavDir, join(out, file))
    const { size } = await stat(join(out, file))
    packed.push({ speaker, voice, pitch: 20 + 3 * k, file, items: prompts.length, seconds, bytes: size })
  })
  packed.sort((a, b) => a.pitch - b.pitch)
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
