import { createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ZipFile } from 'yazl'
import { parseWavHeader } from '../../tasks/wav/index.ts'
import { type Prompt, synthesize } from '../mfcc/speech-corpus.ts'

/** One synthetic speaker: an espeak-ng voice and where its WAVs are cached. */
export interface SyntheticVoice {
  /** The `<spk>` of `cmu_us_<spk>_arctic`. */
  speaker: string
  /** espeak-ng voice name (`-v`). */
  voice: string
  /** Cache folder of its 16 kHz WAVs, one `<prompt id>.wav` each. */
  wavDir: string
}

/** One packed speaker of the corpus. */
export interface SpeakerZip {
  speaker: string
  voice: string
  /** File name of the zip (as a Festvox mirror names it). */
  file: string
  items: number
  seconds: number
  bytes: number
}

/** The corpus: Festvox zips in `dir`, and what is in them. */
export interface FestvoxCorpus {
  dir: string
  prompts: number
  speakers: SpeakerZip[]
  seconds: number
  /** Every utterance's duration, seconds (for choosing a FILTER threshold). */
  durations: number[]
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/** Runs `work` over `items`, `concurrency` at a time, in order of start. */
async function forEachLimited<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: concurrency }, lane))
}

/** Packs one speaker as `cmu_us_<spk>_arctic/wav/*.wav` + `etc/txt.done.data`, deflated; written atomically. */
async function packSpeaker(voice: SyntheticVoice, prompts: Prompt[], path: string): Promise<void> {
  const root = `cmu_us_${voice.speaker}_arctic`
  const zip = new ZipFile()
  // A fixed mtime makes the zip (and so its CID) the same on every machine.
  const mtime = new Date('2026-01-01T00:00:00Z')
  zip.addBuffer(
    Buffer.from(prompts.map((p) => `( ${p.id} "${p.text}" )\n`).join('')),
    `${root}/etc/txt.done.data`,
    { mtime },
  )
  for (const p of prompts)
    zip.addFile(join(voice.wavDir, `${p.id}.wav`), `${root}/wav/${p.id}.wav`, { mtime, compress: true })
  zip.end()
  const tmp = `${path}.tmp`
  await pipeline(zip.outputStream, createWriteStream(tmp))
  await rename(tmp, path)
}

/**
 * Builds (or finds in `cacheDir`) a synthetic CMU ARCTIC dataset: prompt i is read by voice
 * i mod voices.length, each voice packed as its own Festvox zip. Synthesizes missing WAVs
 * with espeak-ng + sox, two at a time; `onProgress` is called every 50 synthesized files.
 */
export async function buildFestvoxCorpus(
  prompts: Prompt[],
  voices: SyntheticVoice[],
  cacheDir: string,
  onProgress?: (done: number, total: number) => void,
): Promise<FestvoxCorpus> {
  const index = join(cacheDir, 'corpus.json')
  if (await exists(index)) {
    const cached = JSON.parse(await readFile(index, 'utf8')) as FestvoxCorpus
    const complete = await Promise.all(cached.speakers.map((s) => exists(join(cacheDir, s.file))))
    if (cached.prompts === prompts.length && complete.every(Boolean)) return { ...cached, dir: cacheDir }
  }
  await mkdir(cacheDir, { recursive: true })
  const jobs = prompts.map((prompt, i) => ({ prompt, voice: voices[i % voices.length]! }))
  for (const v of voices) await mkdir(v.wavDir, { recursive: true })
  let done = 0
  await forEachLimited(jobs, 2, async ({ prompt, voice }) => {
    const path = join(voice.wavDir, `${prompt.id}.wav`)
    if (!(await exists(path))) await synthesize(prompt, path, voice.voice)
    if (++done % 50 === 0) onProgress?.(done, jobs.length)
  })
  const speakers: SpeakerZip[] = []
  const durations: number[] = []
  for (const voice of voices) {
    const own = jobs.filter((j) => j.voice === voice).map((j) => j.prompt)
    let seconds = 0
    for (const p of own) {
      const header = parseWavHeader(await readFile(join(voice.wavDir, `${p.id}.wav`)))
      seconds += header.seconds
      durations.push(header.seconds)
    }
    const file = `cmu_us_${voice.speaker}_arctic-0.90-release.zip`
    await packSpeaker(voice, own, join(cacheDir, file))
    const { size } = await stat(join(cacheDir, file))
    speakers.push({
      speaker: voice.speaker,
      voice: voice.voice,
      file,
      items: own.length,
      seconds,
      bytes: size,
    })
  }
  const corpus: FestvoxCorpus = {
    dir: cacheDir,
    prompts: prompts.length,
    speakers,
    seconds: speakers.reduce((s, x) => s + x.seconds, 0),
    durations,
  }
  await writeFile(index, JSON.stringify(corpus) + '\n')
  return corpus
}
