import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { decodeWav, mixToMono } from './index.ts'
import { buildWav, int16Bytes } from './wav-builder.test-support.ts'

interface WavDecoder {
  decode: { sync(buffer: ArrayBuffer): { sampleRate: number; channelData: Float32Array[] } }
}
// wav-decoder ships no types; it is the reference for sample scaling (SPEC §3).
const wavDecoder = createRequire(import.meta.url)('wav-decoder') as WavDecoder

/** Deterministic pseudo-random bytes (a small LCG), so every bit pattern gets exercised. */
function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

function referenceDecode(wav: Uint8Array): Float32Array[] {
  return wavDecoder.decode.sync(wav.slice().buffer).channelData
}

describe('decodeWav', () => {
  it('scales 16-bit samples as wav-decoder does: s / 32768 below zero, s / 32767 above', () => {
    const { channelData, sampleRate } = decodeWav(
      buildWav({ data: int16Bytes([-32768, -16384, 0, 16383, 32767]) }),
    )
    expect(sampleRate).toBe(16_000)
    expect([...channelData[0]!]).toEqual([-1, -0.5, 0, Math.fround(16383 / 32767), 1])
  })

  it.each([8, 16, 24, 32])('matches wav-decoder bit for bit on %i-bit stereo PCM', (bits) => {
    const data = noise((bits / 4) * 500, bits)
    if (bits === 24) {
      // wav-decoder misreads 0x800000 as positive (see wav-decode.ts); keep it out of this comparison.
      for (let i = 2; i < data.length; i += 3)
        if (data[i] === 0x80 && data[i - 1] === 0 && data[i - 2] === 0) data[i] = 0x81
    }
    const wav = buildWav({ bitsPerSample: bits, channels: 2, data })
    const ours = decodeWav(wav).channelData
    expect(ours).toHaveLength(2)
    expect(ours).toEqual(referenceDecode(wav))
  })

  it('reads the most negative 24-bit sample as -1', () => {
    const wav = buildWav({ bitsPerSample: 24, data: new Uint8Array([0x00, 0x00, 0x80, 0xff, 0xff, 0x7f]) })
    expect([...decodeWav(wav).channelData[0]!]).toEqual([-1, 1])
  })

  it('reads float32 and float64 samples as they are', () => {
    const f32 = new Float32Array([0.25, -0.5, 1.5])
    expect([
      ...decodeWav(buildWav({ tag: 3, bitsPerSample: 32, data: new Uint8Array(f32.buffer) })).channelData[0]!,
    ]).toEqual([0.25, -0.5, 1.5])
    const f64 = new Float64Array([0.125, -1])
    const wav = buildWav({ tag: 3, bitsPerSample: 64, data: new Uint8Array(f64.buffer) })
    expect([...decodeWav(wav).channelData[0]!]).toEqual([0.125, -1])
    expect(decodeWav(wav).channelData).toEqual(referenceDecode(wav))
  })

  it('decodes extensible files and files whose data comes before fmt', () => {
    const data = int16Bytes([100, -100, 200, -200])
    const ext = decodeWav(buildWav({ extensibleTag: 1, channels: 2, data }))
    expect([...ext.channelData[0]!]).toEqual([100 / 32767, 200 / 32767].map(Math.fround))
    expect([...ext.channelData[1]!]).toEqual([-100 / 32768, -200 / 32768].map(Math.fround))
    const late = decodeWav(buildWav({ dataFirst: true, data }))
    expect(late.channelData[0]).toHaveLength(4)
  })

  it('finds the samples after a padded odd-sized chunk', () => {
    const junk = new Uint8Array([0x4a, 0x55, 0x4e, 0x4b, 1, 0, 0, 0, 0x7f, 0]) // 'JUNK', size 1, 1 byte + pad
    const wav = buildWav({ before: [junk], data: int16Bytes([32767]) })
    expect([...decodeWav(wav).channelData[0]!]).toEqual([1])
  })
})

describe('mixToMono', () => {
  it('averages channels and passes mono through', () => {
    const mono = new Float32Array([1, 2])
    expect(mixToMono([mono])).toBe(mono)
    expect([...mixToMono([new Float32Array([1, 0.5]), new Float32Array([0, -0.5])])]).toEqual([0.5, 0])
  })
})
