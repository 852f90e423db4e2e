import { execFile } from 'node:child_process'
import { mkdir, readFile, rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { parseWavHeader } from '../../tasks/wav/index.ts'

const run = promisify(execFile)

/** One ARCTIC prompt: `( arctic_a0001 "text" )`. */
export interface Prompt {
  id: string
  text: string
}

/** A synthesized utterance in the cache. */
export interface CorpusFile {
  path: string
  seconds: number
}

/** Parses cmuarctic.data: one `( id "text" )` per line; other lines are ignored. */
export function parsePrompts(text: string): Prompt[] {
  const prompts: Prompt[] = []
  for (const line of text.split('\n')) {
    const match = /^\(\s*(\S+)\s+"(.*)"\s*\)\s*$/.exec(line.trim())
    if (match) prompts.push({ id: match[1]!, text: match[2]! })
  }
  return prompts
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/** Synthesizes one prompt with espeak-ng (`voice`, default en-us), then sox to 16 kHz 16-bit mono; written atomically. */
export async function synthesize(prompt: Prompt, path: string, voice = 'en-us'): Promise<void> {
  const raw = `${path}.espeak.wav`
  const tmp = `${path}.tmp.wav`
  // Arguments, not a shell line: prompts contain quotes and commas.
  await run('espeak-ng', ['-v', voice, '-w', raw, prompt.text])
  await run('sox', [raw, '-r', '16000', '-b', '16', '-c', '1', tmp])
  await rename(tmp, path)
  await run('rm', ['-f', raw])
}

/**
 * Returns cached utterances (synthesizing the missing ones, in prompt order) until they add up
 * to at least `minSeconds` of speech. Needs espeak-ng and sox only for files not yet cached.
 */
export async function buildCorpus(
  prompts: Prompt[],
  cacheDir: string,
  minSeconds: number,
  onFile?: (n: number, seconds: number) => void,
): Promise<CorpusFile[]> {
  await mkdir(cacheDir, { recursive: true })
  const files: CorpusFile[] = []
  let total = 0
  for (const prompt of prompts) {
    if (total >= minSeconds) break
    const path = join(cacheDir, `${prompt.id}.wav`)
    if (!(await exists(path))) await synthesize(prompt, path)
    const { seconds } = parseWavHeader(await readFile(path))
    files.push({ path, seconds })
    total += seconds
    onFile?.(files.length, total)
  }
  if (total < minSeconds)
    throw new Error(
      `only ${total.toFixed(0)} s of speech from ${prompts.length} prompts; ${minSeconds} s asked`,
    )
  return files
}
