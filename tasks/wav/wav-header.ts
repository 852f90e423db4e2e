import { WavFormatError } from './wav-format-error.ts'

// Hand-written rather than wav-decoder's: wav-decoder rejects WAVE_FORMAT_EXTENSIBLE,
// ignores the pad byte after odd-sized chunks, silently shortens a truncated data chunk,
// and reads past the end (RangeError) on a file without a data chunk.

/** What a WAV header says: sample format, layout, and where the samples are. */
export interface WavInfo {
  format: 'pcm' | 'float'
  bitsPerSample: number
  channels: number
  /** Frames per second, Hz. */
  sampleRate: number
  /** Frames (samples per channel). */
  samples: number
  /** samples / sampleRate. */
  seconds: number
  /** Byte offset of the first sample in the file. */
  dataOffset: number
  /** Bytes of sample data (whole frames only). */
  dataLength: number
}

/** Most channels accepted; more is refused as broken rather than guessed at. */
export const MAX_CHANNELS = 8

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'MS ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x00ff: 'AAC',
  0xf1ac: 'FLAC',
}
const TAG_PCM = 0x0001
const TAG_FLOAT = 0x0003
const TAG_EXTENSIBLE = 0xfffe
/** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID built from a format tag. */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]

interface FmtChunk {
  tag: number
  channels: number
  sampleRate: number
  blockAlign: number
  bitsPerSample: number
}

function readId(view: DataView, offset: number): string {
  let s = ''
  for (let i = 0; i < 4; i++) s += String.fromCharCode(view.getUint8(offset + i))
  return s
}

function describeTag(tag: number): string {
  const name = FORMAT_NAMES[tag]
  return name === undefined ? `unsupported format tag ${tag}` : `unsupported format tag ${tag} (${name})`
}

function readFmt(view: DataView, offset: number, size: number): FmtChunk {
  if (size < 16) throw new WavFormatError(`fmt chunk too short: ${size} bytes, at least 16 needed`)
  const fmt: FmtChunk = {
    tag: view.getUint16(offset, true),
    channels: view.getUint16(offset + 2, true),
    sampleRate: view.getUint32(offset + 4, true),
    blockAlign: view.getUint16(offset + 12, true),
    bitsPerSample: view.getUint16(offset + 14, true),
  }
  if (fmt.tag !== TAG_EXTENSIBLE) return fmt
  // WAVE_FORMAT_EXTENSIBLE: cbSize(2) validBits(2) channelMask(4) subFormat GUID(16).
  if (size < 40 || view.getUint16(offset + 16, true) < 22) {
    throw new WavFormatError('WAVE_FORMAT_EXTENSIBLE fmt chunk too short for its subformat GUID')
  }
  const guid = offset + 24
  for (let i = 0; i < GUID_TAIL.length; i++) {
    if (view.getUint8(guid + 2 + i) !== GUID_TAIL[i])
      throw new WavFormatError('unsupported extensible subformat GUID')
  }
  return { ...fmt, tag: view.getUint16(guid, true) }
}

function checkFmt(fmt: FmtChunk): 'pcm' | 'float' {
  if (fmt.tag !== TAG_PCM && fmt.tag !== TAG_FLOAT) throw new WavFormatError(describeTag(fmt.tag))
  if (fmt.channels === 0) throw new WavFormatError('0 channels')
  if (fmt.channels > MAX_CHANNELS)
    throw new WavFormatError(`${fmt.channels} channels, at most ${MAX_CHANNELS} supported`)
  if (fmt.sampleRate === 0) throw new WavFormatError('sample rate 0')
  const format = fmt.tag === TAG_PCM ? 'pcm' : 'float'
  const bits = fmt.bitsPerSample
  const isValid = format === 'pcm' ? [8, 16, 24, 32].includes(bits) : bits === 32 || bits === 64
  if (!isValid)
    throw new WavFormatError(`unsupported ${bits}-bit ${format === 'pcm' ? 'PCM' : 'float'} samples`)
  const expected = (fmt.channels * bits) / 8
  if (fmt.blockAlign !== expected) {
    throw new WavFormatError(
      `block align ${fmt.blockAlign} does not match ${fmt.channels} channels of ${bits} bits (${expected})`,
    )
  }
  return format
}

/** Parses a RIFF/WAVE header (chunks in any order); throws WavFormatError for anything broken or unsupported. */
export function parseWavHeader(bytes: Uint8Array): WavInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 12 || readId(view, 0) !== 'RIFF' || readId(view, 8) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file')
  }
  let fmt: FmtChunk | null = null
  let data: { offset: number; size: number } | null = null
  let offset = 12
  // A trailing fragment shorter than a chunk header is junk some writers leave: ignored.
  while (offset + 8 <= bytes.length) {
    const id = readId(view, offset)
    const size = view.getUint32(offset + 4, true)
    const body = offset + 8
    const present = bytes.length - body
    if (id === 'data') {
      if (data !== null) throw new WavFormatError('more than one data chunk')
      if (size > present)
        throw new WavFormatError(`data chunk truncated: header says ${size} bytes, ${present} present`)
      data = { offset: body, size }
    } else if (id === 'fmt ') {
      if (fmt !== null) throw new WavFormatError('more than one fmt chunk')
      if (size > present)
        throw new WavFormatError(`fmt chunk truncated: header says ${size} bytes, ${present} present`)
      fmt = readFmt(view, body, size)
    } else if (size > present) {
      // An unknown chunk cut short: nothing after it can be found, so stop looking.
      break
    }
    // Chunks are word-aligned: an odd size is followed by one pad byte.
    offset = body + size + (size & 1)
  }
  if (fmt === null) throw new WavFormatError('no fmt chunk')
  if (data === null) throw new WavFormatError('no data chunk')
  const format = checkFmt(fmt)
  const samples = Math.floor(data.size / fmt.blockAlign)
  return {
    format,
    bitsPerSample: fmt.bitsPerSample,
    channels: fmt.channels,
    sampleRate: fmt.sampleRate,
    samples,
    seconds: samples / fmt.sampleRate,
    dataOffset: data.offset,
    dataLength: samples * fmt.blockAlign,
  }
}
