import { ZipFile } from 'yazl'

/** One entry of a zip built for a test; names may be hostile (`../x`, `/abs`), which yazl itself refuses. */
export interface TestEntry {
  name: string
  data: Uint8Array | string
  /** Unix mode with file type, e.g. 0o120777 for a symlink (default: regular file). */
  mode?: number
  /** Deflate (default true). */
  compress?: boolean
}

/** A 16-bit PCM WAV of `samples` frames at `rate` Hz; `fill` gives each sample (default: a ramp). */
export function makeWav(
  samples: number,
  rate = 16_000,
  fill: (i: number) => number = (i) => (i % 200) * 100,
): Uint8Array {
  const bytes = new Uint8Array(44 + samples * 2)
  const view = new DataView(bytes.buffer)
  const text = (offset: number, s: string): void => {
    for (let i = 0; i < s.length; i++) bytes[offset + i] = s.charCodeAt(i)
  }
  text(0, 'RIFF')
  view.setUint32(4, 36 + samples * 2, true)
  text(8, 'WAVE')
  text(12, 'fmt ')
  view.setUint32(16, 16, true)
  view.setUint16(20, 1, true)
  view.setUint16(22, 1, true)
  view.setUint32(24, rate, true)
  view.setUint32(28, rate * 2, true)
  view.setUint16(32, 2, true)
  view.setUint16(34, 16, true)
  text(36, 'data')
  view.setUint32(40, samples * 2, true)
  for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, fill(i), true)
  return bytes
}

/** A same-length name yazl accepts, to be patched back to the hostile one in the bytes. */
function placeholderOf(name: string, index: number): string {
  const safe = name
    .replace(/\\/g, '_')
    .replace(/(^|\/)\.\.(?=\/|$)/g, '$1__')
    .replace(/^\//, '_')
    .replace(/^([a-zA-Z]):/, '$1_')
  if (safe === name) return name
  // A unique tag keeps patching from touching another entry's name.
  const tag = `Q${index}Q`
  return tag + safe.slice(tag.length)
}

function replaceAll(buffer: Buffer, from: string, to: string): void {
  const needle = Buffer.from(from)
  const replacement = Buffer.from(to)
  for (let at = buffer.indexOf(needle); at !== -1; at = buffer.indexOf(needle, at + needle.length)) {
    replacement.copy(buffer, at)
  }
}

/** Builds a zip in memory from entries (hostile names allowed). */
export async function buildZip(entries: TestEntry[]): Promise<Buffer> {
  const zip = new ZipFile()
  const renames: [string, string][] = []
  entries.forEach((entry, i) => {
    const placeholder = placeholderOf(entry.name, i)
    if (placeholder !== entry.name) renames.push([placeholder, entry.name])
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : Buffer.from(entry.data)
    zip.addBuffer(data, placeholder, {
      compress: entry.compress ?? true,
      mtime: new Date('2003-01-01T00:00:00Z'),
      ...(entry.mode === undefined ? {} : { mode: entry.mode }),
    })
  })
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk)
  const buffer = Buffer.concat(chunks)
  for (const [from, to] of renames) replaceAll(buffer, from, to)
  return buffer
}

const CENTRAL_FIELDS = {
  flags: { offset: 8, bytes: 2 },
  compressionMethod: { offset: 10, bytes: 2 },
  uncompressedSize: { offset: 24, bytes: 4 },
} as const

/** Rewrites a field of an entry's central directory header (to make it lie, or look encrypted). */
export function patchCentralEntry(
  zip: Buffer,
  name: string,
  field: keyof typeof CENTRAL_FIELDS,
  value: number,
): void {
  const nameBytes = Buffer.from(name)
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02])
  for (let at = zip.indexOf(signature); at !== -1; at = zip.indexOf(signature, at + 4)) {
    const length = zip.readUInt16LE(at + 28)
    if (length === nameBytes.length && zip.subarray(at + 46, at + 46 + length).equals(nameBytes)) {
      const { offset, bytes } = CENTRAL_FIELDS[field]
      if (bytes === 2) zip.writeUInt16LE(value, at + offset)
      else zip.writeUInt32LE(value, at + offset)
      return
    }
  }
  throw new Error(`no central directory entry named ${name}`)
}

/** Corrupts the central directory header of an entry (its signature), breaking the archive. */
export function breakCentralEntry(zip: Buffer, name: string): void {
  const at = zip.lastIndexOf(Buffer.from(name)) - 46
  if (at < 0 || zip.readUInt32LE(at) !== 0x02014b50)
    throw new Error(`no central directory entry named ${name}`)
  zip.writeUInt32LE(0xdeadbeef, at)
}
