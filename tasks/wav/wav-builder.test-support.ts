/** Options of a hand-built WAV file, for tests. */
export interface WavSpec {
  tag?: number
  channels?: number
  sampleRate?: number
  bitsPerSample?: number
  blockAlign?: number
  /** Raw sample bytes. */
  data?: Uint8Array
  /** Overrides the data chunk's declared size. */
  dataSize?: number
  /** Writes WAVE_FORMAT_EXTENSIBLE with this subformat tag. */
  extensibleTag?: number
  /** Chunks placed before fmt, between fmt and data, and after data. */
  before?: Uint8Array[]
  between?: Uint8Array[]
  after?: Uint8Array[]
  /** Puts data before fmt. */
  dataFirst?: boolean
}

/** A chunk with id and body, plus its pad byte when the body is odd-sized. */
export function chunk(id: string, body: Uint8Array, declaredSize = body.length): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1))
  const view = new DataView(out.buffer)
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i)
  view.setUint32(4, declaredSize, true)
  out.set(body, 8)
  return out
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function fmtBody(spec: WavSpec): Uint8Array {
  const channels = spec.channels ?? 1
  const bits = spec.bitsPerSample ?? 16
  const rate = spec.sampleRate ?? 16_000
  const block = spec.blockAlign ?? (channels * bits) / 8
  const isExt = spec.extensibleTag !== undefined
  const body = new Uint8Array(isExt ? 40 : 16)
  const v = new DataView(body.buffer)
  v.setUint16(0, isExt ? 0xfffe : (spec.tag ?? 1), true)
  v.setUint16(2, channels, true)
  v.setUint32(4, rate, true)
  v.setUint32(8, rate * block, true)
  v.setUint16(12, block, true)
  v.setUint16(14, bits, true)
  if (isExt) {
    v.setUint16(16, 22, true)
    v.setUint16(18, bits, true)
    v.setUint32(20, channels === 2 ? 3 : 4, true)
    v.setUint16(24, spec.extensibleTag!, true)
    body.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26)
  }
  return body
}

/** Builds a WAV file from a spec; defaults: PCM 16-bit mono 16 kHz, no samples. */
export function buildWav(spec: WavSpec = {}): Uint8Array {
  const data = spec.data ?? new Uint8Array(0)
  const fmt = chunk('fmt ', fmtBody(spec))
  const dataChunk = chunk('data', data, spec.dataSize ?? data.length)
  const middle = spec.dataFirst
    ? [dataChunk, ...(spec.between ?? []), fmt]
    : [fmt, ...(spec.between ?? []), dataChunk]
  const body = concat([...(spec.before ?? []), ...middle, ...(spec.after ?? [])])
  const header = new Uint8Array(12)
  const v = new DataView(header.buffer)
  header.set([0x52, 0x49, 0x46, 0x46], 0)
  v.setUint32(4, 4 + body.length, true)
  header.set([0x57, 0x41, 0x56, 0x45], 8)
  return concat([header, body])
}

/** Little-endian 16-bit PCM bytes of the given integer samples. */
export function int16Bytes(samples: number[]): Uint8Array {
  const out = new Uint8Array(samples.length * 2)
  const v = new DataView(out.buffer)
  samples.forEach((s, i) => v.setInt16(i * 2, s, true))
  return out
}
