import { execFile } from 'node:child_process'
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createRandom } from '../../tasks/learn/rng.ts'
import type { FeatureRecording } from '../../tasks/learn/train.ts'
import { computeWavMfcc, parseMfccArgs } from '../../tasks/mfcc/index.ts'
import type { Prompt } from '../mfcc/speech-corpus.ts'

const run = promisify(execFile)

/**
 * 18 close voices: espeak-ng's male en-us variants, each with its own base pitch (espeak `-p`,
 * 3 units apart from 20 to 71), every utterance's pitch jittered by up to ±10 % (seeded).
 */
export const VOICES = [
  'm1',
  'm2',
  'm3',
  'm4',
  'm5',
  'm6',
  'm7',
  'm8',
  'adam',
  'david',
  'edward',
  'john',
  'max',
  'paul',
  'robert',
  'rob',
  'travis',
  'victor',
] as const

/** The seed pipeline's features: EXTRACT_MFCC(32, 24, 1, 8000, 16000). */
const MFCC = parseMfccArgs([32, 24, 1, 8000, 16000])

/**
 * The scale corpus's voices (bench/scale, issue 13): one en-us reading per prompt, moved by
 * `sox pitch` (formants move with it) to 96 + 12·k Hz, ±10 % per utterance. espeak's en-us
 * median F0 is taken as 102 Hz, as bench/scale does.
 */
export const PITCH_SHIFT_VOICES = Array.from(
  { length: 18 },
  (_, k) => `p${String(96 + 12 * k).padStart(3, '0')}`,
)

/** Which corpus: distinct espeak variants (VOICES), or one reading pitch-shifted (PITCH_SHIFT_VOICES). */
export type VoiceCorpusKind = 'variants' | 'pitch-shift'

/** A seeded jitter in [-0.1, 0.1] for voice `v` reading `promptId`. */
function jitterOf(v: number, promptId: string): number {
  let seed = v + 1
  for (const ch of promptId) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0
  return (createRandom(seed)() * 2 - 1) * 0.1
}

/** espeak's pitch parameter for one utterance of voice number `v`: the voice's base, jittered by ±10 %. */
export function pitchOf(v: number, promptId: string): number {
  return Math.round((20 + 3 * v) * (1 + jitterOf(v, promptId)))
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/** Speaks `text` in the en-us variant `voice` at espeak pitch `pitch`, as a 16 kHz 16-bit mono WAV at `path`. */
export async function synthesize(text: string, voice: string, pitch: number, path: string): Promise<void> {
  const raw = `${path}.espeak.wav`
  const tmp = `${path}.tmp.wav`
  await run('espeak-ng', ['-v', `en-us+${voice}`, '-p', String(pitch), '-w', raw, text])
  await run('sox', [raw, '-r', '16000', '-b', '16', '-c', '1', tmp])
  await rename(tmp, path)
  await rm(raw, { force: true })
}

async function pitchShift(text: string, v: number, promptId: string, cacheDir: string, path: string) {
  const raw = join(cacheDir, 'espeak', `${promptId}.wav`)
  if (!(await exists(raw))) {
    await mkdir(join(cacheDir, 'espeak'), { recursive: true })
    await run('espeak-ng', ['-v', 'en-us', '-w', `${raw}.tmp.wav`, text])
    await rename(`${raw}.tmp.wav`, raw)
  }
  const hz = (96 + 12 * v) * (1 + jitterOf(v, promptId))
  const cents = (1200 * Math.log2(hz / 102)).toFixed(1)
  const tmp = `${path}.tmp.wav`
  await run('sox', [raw, '-r', '16000', '-b', '16', '-c', '1', tmp, 'pitch', cents, 'rate', '16000'])
  await rename(tmp, path)
}

/**
 * The 18 voices reading `prompts` (cached as 16 kHz WAVs under `cacheDir`, synthesized when
 * missing, two at a time), as MFCC recordings; `onFile` counts the recordings done.
 */
export async function buildVoiceCorpus(
  prompts: readonly Prompt[],
  cacheDir: string,
  onFile?: (n: number) => void,
  kind: VoiceCorpusKind = 'variants',
): Promise<{ recordings: FeatureRecording[]; audioSeconds: number }> {
  const voices = kind === 'variants' ? VOICES : PITCH_SHIFT_VOICES
  const jobs = voices.flatMap((voice, v) => prompts.map((prompt) => ({ voice, v, prompt })))
  const recordings: FeatureRecording[] = new Array<FeatureRecording>(jobs.length)
  let audioSeconds = 0
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++
      const { voice, v, prompt } = jobs[i]!
      const dir = join(cacheDir, voice)
      await mkdir(dir, { recursive: true })
      const path = join(dir, `${prompt.id}.wav`)
      if (!(await exists(path)))
        await (kind === 'variants'
          ? synthesize(prompt.text, voice, pitchOf(v, prompt.id), path)
          : pitchShift(prompt.text, v, prompt.id, cacheDir, path))
      const wav = await readFile(path)
      const m = await computeWavMfcc(wav, MFCC)
      audioSeconds += (wav.length - 44) / 32_000
      recordings[i] = {
        id: `${voice}/${prompt.id}`,
        speaker: voice,
        utterance: prompt.id,
        mfcc: { data: m.data, rows: m.frames, cols: m.numcep },
      }
      onFile?.(++done)
    }
  }
  await Promise.all([worker(), worker()])
  return { recordings, audioSeconds }
}
