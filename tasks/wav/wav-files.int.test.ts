import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { decodeWav, parseWavHeader } from './index.ts'

interface WavDecoder {
  decode: { sync(buffer: ArrayBuffer): { sampleRate: number; channelData: Float32Array[] } }
}
const wavDecoder = createRequire(import.meta.url)('wav-decoder') as WavDecoder

const golden = (name: string): Promise<Buffer> =>
  readFile(new URL(`../../fixtures/golden/${name}`, import.meta.url))

describe('real WAV files', () => {
  it('parses the FILTER_LONGER(5) boundary files exactly', async () => {
    expect(parseWavHeader(await golden('edge_5000ms.wav'))).toMatchObject({
      sampleRate: 16_000,
      samples: 80_000,
      seconds: 5,
    })
    expect(parseWavHeader(await golden('edge_4999ms.wav'))).toMatchObject({ samples: 79_999 })
  })

  it('decodes a speech file exactly as wav-decoder does', async () => {
    const bytes = await golden('arctic_a0001.wav')
    const ours = decodeWav(bytes)
    const theirs = wavDecoder.decode.sync(Uint8Array.from(bytes).buffer)
    expect(ours.sampleRate).toBe(theirs.sampleRate)
    expect(ours.channelData).toEqual(theirs.channelData)
  })
})
