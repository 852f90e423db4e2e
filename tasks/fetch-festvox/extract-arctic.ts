import type { Entry } from 'yauzl'
import {
  assertNever,
  type DatasetItem,
  type SkippedEntry,
  type Store,
  type TaskLogger,
} from '../../core/domain/index.ts'
import { parseWavHeader, WavFormatError, type WavInfo } from '../wav/index.ts'
import { createYieldPoint } from '../yield-point.ts'
import { classifyEntry, type EntryRole } from './entry-rules.ts'
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
  type OpenedZip,
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
/**
 * Entries read and inflated ahead of the one being stored, on the thread pool: with 2 cores,
 * inflating the next WAVs overlaps hashing and writing this one.
 */
const LOOKAHEAD = 6
/** Entries read ahead only up to these sizes (compressed, uncompressed), so that lookahead memory stays small. */
const AHEAD_STORED_BYTES = 4 * 1024 * 1024
const AHEAD_DECLARED_BYTES = 16 * 1024 * 1024

/** An entry met in the central directory, with its bytes already on their way when read ahead. */
interface PendingEntry {
  entry: Entry
  name: string
  role: EntryRole
  /** The entry's bytes read ahead (readEntry's outcome), or null: read when its turn comes. */
  ahead: Promise<Uint8Array> | null
}

interface ExtractState {
  zip: OpenedZip
  /** Puts started and not yet awaited, oldest first. */
  puts: Promise<void>[]
  /** Item ids taken so far, in entry order (their puts may still run). */
  claimed: Set<string>
  items: Map<string, ExtractedItem & { speakerDir: string }>
  skipped: SkippedEntry[]
  transcripts: Map<string, Map<string, string>>
  totalBytes: number
  /** Declared bytes of the entries read ahead and not yet counted in totalBytes. */
  aheadBytes: number
}

/**
 * Reads a CMU ARCTIC zip: every `cmu_us_<spk>_arctic/wav/*.wav` becomes a blob and an item
 * (header checked), texts come from `etc/txt.done.data`; bad entries are listed with a reason.
 * Entries are judged one by one in central-directory order; the bytes of the next few small WAVs
 * are read and inflated ahead meanwhile. Throws BrokenArchiveError when the archive itself
 * cannot be read.
 */
export async function extractArctic(zipPath: string, deps: ExtractDeps): Promise<ExtractedPart> {
  const state: ExtractState = {
    zip: await openZip(zipPath),
    puts: [],
    claimed: new Set(),
    items: new Map(),
    skipped: [],
    transcripts: new Map(),
    totalBytes: 0,
    aheadBytes: 0,
  }
  const { zip } = state.zip
  const queue: PendingEntry[] = []
  try {
    let done = 0
    // Entries whose reads complete at once (cached, stored) would chain on microtasks only.
    const yieldPoint = createYieldPoint()
    const handleNext = async (): Promise<void> => {
      await yieldPoint()
      await handleEntry(queue.shift()!, state, deps)
      deps.onEntry(++done, zip.entryCount)
    }
    for await (const entry of iterateEntries(zip)) {
      deps.signal.throwIfAborted()
      queue.push(readAhead(entry, state, deps))
      if (queue.length > LOOKAHEAD) await handleNext()
    }
    while (queue.length > 0) await handleNext()
    await Promise.all(state.puts.splice(0))
  } finally {
    // Reads and puts still running (after an error) must end before the zip closes.
    await Promise.allSettled([...state.puts, ...queue.map((p) => p.ahead)])
    await state.zip.close()
  }
  const items = [...state.items.values()].map(({ speakerDir, ...rest }) => {
    const text = state.transcripts.get(speakerDir)?.get(rest.item.utterance)
    return text === undefined ? rest : { ...rest, item: { ...rest.item, text } }
  })
  items.sort((a, b) => compareIds(a.item.id, b.item.id))
  return { items, skipped: state.skipped }
}

/**
 * Classifies an entry and, for a small WAV that passes the header checks, starts reading it.
 * Read ahead only when the outcome cannot depend on the entries before it: its size is below
 * the per-entry limit and below the total left even if every earlier entry read ahead counts
 * in full, so readEntry gets the same limit, and so says the same, as when read in turn.
 */
function readAhead(entry: Entry, state: ExtractState, deps: ExtractDeps): PendingEntry {
  const name = entryName(entry)
  const role = classifyEntry({ name, isSymlink: isSymlink(entry) })
  const pending: PendingEntry = { entry, name, role, ahead: null }
  const declared = entry.uncompressedSize
  if (role.role !== 'wav' || entry.compressedSize > AHEAD_STORED_BYTES || declared > AHEAD_DECLARED_BYTES)
    return pending
  const limits = deps.limits
  if (checkEntryHeader(entry, limits) !== null) return pending
  const maxBytes = Math.min(limits.maxEntryBytes, limits.maxTotalBytes - state.totalBytes - state.aheadBytes)
  if (declared >= maxBytes) return pending
  state.aheadBytes += declared
  pending.ahead = readEntry(state.zip.zip, state.zip.reader, entry, maxBytes, deps.signal)
  // Awaited in turn; this handler only stops an early rejection from counting as unhandled.
  pending.ahead.catch(() => undefined)
  return pending
}

/** Code-unit order of item ids: stable across machines and locales. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

async function handleEntry(pending: PendingEntry, state: ExtractState, deps: ExtractDeps): Promise<void> {
  const { name, role } = pending
  const skip = (reason: string): void => {
    state.skipped.push({ entry: name, reason })
  }
  switch (role.role) {
    case 'ignored':
      return
    case 'skipped':
      return skip(role.reason)
    case 'transcript': {
      const bytes = await readChecked(pending, state, deps, deps.limits.maxTranscriptBytes)
      if (typeof bytes === 'string') return skip(bytes)
      const { texts, badLines } = parseTranscripts(new TextDecoder().decode(bytes))
      if (badLines > 0) deps.log.warn(`${name}: ${badLines} line(s) are not ( utterance "text" ), ignored`)
      state.transcripts.set(role.speakerDir, texts)
      return
    }
    case 'wav': {
      const id = `${role.speaker}/${role.utterance}`
      if (state.claimed.has(id)) {
        await settleAhead(pending, state)
        return skip(`duplicate entry for item ${id}`)
      }
      const bytes = await readChecked(pending, state, deps, deps.limits.maxEntryBytes)
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

/** Waits for an entry read ahead that will not be used, and stops reserving its bytes. */
async function settleAhead(pending: PendingEntry, state: ExtractState): Promise<void> {
  if (pending.ahead === null) return
  state.aheadBytes -= pending.entry.uncompressedSize
  await pending.ahead.catch(() => undefined)
}

/** Reads an entry within every limit; returns the bytes, or the reason it was refused. */
async function readChecked(
  pending: PendingEntry,
  state: ExtractState,
  deps: ExtractDeps,
  maxBytes: number,
): Promise<Uint8Array | string> {
  const { entry, ahead } = pending
  const limits = { ...deps.limits, maxEntryBytes: maxBytes }
  const problem = checkEntryHeader(entry, limits)
  const left = deps.limits.maxTotalBytes - state.totalBytes
  const refusal =
    problem ??
    (entry.uncompressedSize > left
      ? `zip bomb: the archive's total uncompressed size limit of ${deps.limits.maxTotalBytes} bytes is reached`
      : null)
  if (refusal !== null) {
    // Never the case for an entry read ahead (see readAhead), but its read must end all the same.
    await settleAhead(pending, state)
    return refusal
  }
  try {
    if (ahead !== null) state.aheadBytes -= entry.uncompressedSize
    const bytes =
      ahead === null
        ? await readEntry(state.zip.zip, state.zip.reader, entry, Math.min(maxBytes, left), deps.signal)
        : await ahead
    state.totalBytes += bytes.length
    return bytes
  } catch (error) {
    if (error instanceof EntryReadError) return error.message
    throw error
  }
}
