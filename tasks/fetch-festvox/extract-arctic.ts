import { type FileHandle, open } from 'node:fs/promises'
import type { Entry, ZipFile } from 'yauzl'
import {
  assertNever,
  type DatasetItem,
  type SkippedEntry,
  type Store,
  type TaskLogger,
} from '../../core/domain/index.ts'
import { parseWavHeader, WavFormatError, type WavInfo } from '../wav/index.ts'
import { createYieldPoint } from '../yield-point.ts'
import { classifyEntry } from './entry-rules.ts'
import type { ExtractLimits } from './limits.ts'
import { readEntry } from './entry-bytes.ts'
import type { ExtractedItem, ExtractedPart } from './extracted-part.ts'
import { parseTranscripts } from './transcripts.ts'
import {
  checkEntryHeader,
  EntryReadError,
  entryName,
  isSymlink,
  iterateEntries,
  openZip,
} from './zip-reader.ts'

/** What extraction needs besides the zip's path. */
export interface ExtractDeps {
  store: Store
  signal: AbortSignal
  log: TaskLogger
  limits: ExtractLimits
  /** Called after each entry with (entries seen, entries in the zip). */
  onEntry(done: number, total: number): void
}

/** WAV puts in flight while the next entries are read: their file-system round trips overlap. */
const PUTS_IN_FLIGHT = 8

interface ExtractState {
  /** The zip opened a second time, for positioned reads of whole entries. */
  file: FileHandle
  /** Puts started and not yet awaited, oldest first. */
  puts: Promise<void>[]
  /** Item ids taken so far, in entry order (their puts may still run). */
  claimed: Set<string>
  items: Map<string, ExtractedItem & { speakerDir: string }>
  skipped: SkippedEntry[]
  transcripts: Map<string, Map<string, string>>
  totalBytes: number
}

/**
 * Reads a CMU ARCTIC zip: every `cmu_us_<spk>_arctic/wav/*.wav` becomes a blob and an item
 * (header checked), texts come from `etc/txt.done.data`; bad entries are listed with a reason.
 * Throws BrokenArchiveError when the archive itself cannot be read.
 */
export async function extractArctic(zipPath: string, deps: ExtractDeps): Promise<ExtractedPart> {
  const zip = await openZip(zipPath)
  const file = await open(zipPath, 'r').catch((error: unknown) => {
    zip.close()
    throw error
  })
  const state: ExtractState = {
    file,
    puts: [],
    claimed: new Set(),
    items: new Map(),
    skipped: [],
    transcripts: new Map(),
    totalBytes: 0,
  }
  try {
    let done = 0
    // Entries whose reads complete at once (cached, stored) would chain on microtasks only.
    const yieldPoint = createYieldPoint()
    for await (const entry of iterateEntries(zip)) {
      await yieldPoint()
      deps.signal.throwIfAborted()
      await handleEntry(zip, entry, state, deps)
      deps.onEntry(++done, zip.entryCount)
    }
    await Promise.all(state.puts.splice(0))
  } finally {
    // Puts still running (after an error) must end before the zip closes; their errors are the first one's.
    await Promise.allSettled(state.puts)
    zip.close()
    await file.close()
  }
  const items = [...state.items.values()].map(({ speakerDir, ...rest }) => {
    const text = state.transcripts.get(speakerDir)?.get(rest.item.utterance)
    return text === undefined ? rest : { ...rest, item: { ...rest.item, text } }
  })
  items.sort((a, b) => compareIds(a.item.id, b.item.id))
  return { items, skipped: state.skipped }
}

/** Code-unit order of item ids: stable across machines and locales. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

async function handleEntry(
  zip: ZipFile,
  entry: Entry,
  state: ExtractState,
  deps: ExtractDeps,
): Promise<void> {
  const name = entryName(entry)
  const role = classifyEntry({ name, isSymlink: isSymlink(entry) })
  const skip = (reason: string): void => {
    state.skipped.push({ entry: name, reason })
  }
  switch (role.role) {
    case 'ignored':
      return
    case 'skipped':
      return skip(role.reason)
    case 'transcript': {
      const bytes = await readChecked(zip, entry, state, deps, deps.limits.maxTranscriptBytes)
      if (typeof bytes === 'string') return skip(bytes)
      const { texts, badLines } = parseTranscripts(new TextDecoder().decode(bytes))
      if (badLines > 0) deps.log.warn(`${name}: ${badLines} line(s) are not ( utterance "text" ), ignored`)
      state.transcripts.set(role.speakerDir, texts)
      return
    }
    case 'wav': {
      const id = `${role.speaker}/${role.utterance}`
      if (state.claimed.has(id)) return skip(`duplicate entry for item ${id}`)
      const bytes = await readChecked(zip, entry, state, deps, deps.limits.maxEntryBytes)
      if (typeof bytes === 'string') return skip(bytes)
      const info = readWavInfo(bytes)
      if (typeof info === 'string') return skip(info)
      // Claimed now: duplicates are judged in entry order, whenever the put ends.
      state.claimed.add(id)
      const put = deps.store.put(bytes).then(({ cid }) => {
        const item: DatasetItem = {
          id,
          speaker: role.speaker,
          utterance: role.utterance,
          audio: cid,
          sampleRate: info.sampleRate,
          channels: info.channels,
          samples: info.samples,
          seconds: info.seconds,
        }
        state.items.set(id, { entry: name, item, speakerDir: role.speakerDir })
      })
      // Kept for a later await; this handler only stops an early rejection from counting as unhandled.
      put.catch(() => undefined)
      state.puts.push(put)
      if (state.puts.length >= PUTS_IN_FLIGHT) await state.puts.shift()
      return
    }
    default:
      return assertNever(role, 'entry role')
  }
}

/** The WAV header, or the reason the bytes are not a usable WAV. */
function readWavInfo(bytes: Uint8Array): WavInfo | string {
  try {
    return parseWavHeader(bytes)
  } catch (error) {
    if (error instanceof WavFormatError) return error.message
    throw error
  }
}

/** Reads an entry within every limit; returns the bytes, or the reason it was refused. */
async function readChecked(
  zip: ZipFile,
  entry: Entry,
  state: ExtractState,
  deps: ExtractDeps,
  maxBytes: number,
): Promise<Uint8Array | string> {
  const limits = { ...deps.limits, maxEntryBytes: maxBytes }
  const problem = checkEntryHeader(entry, limits)
  if (problem !== null) return problem
  const left = deps.limits.maxTotalBytes - state.totalBytes
  if (entry.uncompressedSize > left) {
    return `zip bomb: the archive's total uncompressed size limit of ${deps.limits.maxTotalBytes} bytes is reached`
  }
  try {
    const bytes = await readEntry(zip, state.file, entry, Math.min(maxBytes, left), deps.signal)
    state.totalBytes += bytes.length
    return bytes
  } catch (error) {
    if (error instanceof EntryReadError) return error.message
    throw error
  }
}
