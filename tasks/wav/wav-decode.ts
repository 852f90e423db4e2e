import { parseWavHeader, type WavInfo } from './wav-header.ts'

/** Decoded audio: one Float32Array per channel, samples in [-1, 1]. */
export interface DecodedWav {
  /** Hz. */
  sampleRate: number
  channelData: Float32Array[]
}

type SampleReader = (view: DataView, at: number) => number

// Scaling copied from wav-decoder 1.3 (the reference values were made with it): integers are
// divided by 2^(b-1) when negative and by 2^(b-1) - 1 otherwise. One deliberate difference:
// wav-decoder sign-extends 24-bit with `> 0x800000`, turning the most negative value into
// +1.0000001; we read it as -1.
const READERS: Record<string, SampleReader> = {
  pcm8: (v, at) => {
    const s = v.getUint8(at) - 128
    return s < 0 ? s / 128 : s / 127
  },
  pcm16: (v, at) => {
    const s = v.getInt16(at, true)
    return s < 0 ? s / 32768 : s / 32767
  },
  pcm24: (v, at) => {
    const u = v.getUint8(at) | (v.getUint8(at + 1) << 8) | (v.getUint8(at + 2) << 16)
    const s = u >= 0x800000 ? u - 0x1000000 : u
    return s < 0 ? s / 8388608 : s / 8388607
  },
  pcm32: (v, at) => {
    const s = v.getInt32(at, true)
    return s < 0 ? s / 2147483648 : s / 2147483647
  },
  float32: (v, at) => v.getFloat32(at, true),
  float64: (v, at) => v.getFloat64(at, true),
}

function readerFor(info: WavInfo): SampleReader {
  const reader = READERS[`${info.format}${info.bitsPerSample}`]
  // parseWavHeader admits only the formats above, so a miss is a bug.
  if (reader === undefined) throw new Error(`no reader for ${info.format}${info.bitsPerSample}`)
  return reader
}

/** Decodes a WAV file (any format parseWavHeader accepts) with wav-decoder's sample scaling. */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const info = parseWavHeader(bytes)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const { channels, samples } = info
  const width = info.bitsPerSample / 8
  const channelData = Array.from({ length: channels }, () => new Float32Array(samples))
  const read = readerFor(info)
  let at = info.dataOffset
  for (let i = 0; i < samples; i++) {
    for (let ch = 0; ch < channels; ch++) {
      channelData[ch]![i] = read(view, at)
      at += width
    }
  }
  return { sampleRate: info.sampleRate, channelData }
}

/** Averages the channels into one (stereo → mono); a mono input is returned as is. */
export function mixToMono(channelData: Float32Array[]): Float32Array {
  const first = channelData[0]
  if (first === undefined) return new Float32Array(0)
  if (channelData.length === 1) return first
  const out = new Float32Array(first.length)
  for (const channel of channelData) {
    for (let i = 0; i < out.length; i++) out[i]! += channel[i]!
  }
  const scale = 1 / channelData.length
  for (let i = 0; i < out.length; i++) out[i]! *= scale
  return out
}
