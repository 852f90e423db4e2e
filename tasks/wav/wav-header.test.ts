import { describe, expect, it } from 'vitest'
import { parseWavHeader, WavFormatError } from './index.ts'
import { buildWav, chunk, int16Bytes } from './wav-builder.test-support.ts'

const bytes = (n: number): Uint8Array => new Uint8Array(n)

describe('parseWavHeader', () => {
  it('reads a plain 16-bit mono PCM header', () => {
    const info = parseWavHeader(buildWav({ data: int16Bytes([1, 2, 3, 4]) }))
    expect(info).toEqual({
      format: 'pcm',
      bitsPerSample: 16,
      channels: 1,
      sampleRate: 16_000,
      samples: 4,
      seconds: 4 / 16_000,
      dataOffset: 44,
      dataLength: 8,
    })
  })

  it.each([8, 16, 24, 32])('reads %i-bit PCM stereo', (bits) => {
    const info = parseWavHeader(
      buildWav({ bitsPerSample: bits, channels: 2, sampleRate: 44_100, data: bytes((bits / 4) * 10) }),
    )
    expect(info).toMatchObject({
      format: 'pcm',
      bitsPerSample: bits,
      channels: 2,
      sampleRate: 44_100,
      samples: 10,
    })
  })

  it.each([32, 64])('reads %i-bit float', (bits) => {
    const info = parseWavHeader(buildWav({ tag: 3, bitsPerSample: bits, data: bytes((bits / 8) * 3) }))
    expect(info).toMatchObject({ format: 'float', bitsPerSample: bits, samples: 3 })
  })

  it('reads up to 8 channels at any rate', () => {
    const info = parseWavHeader(buildWav({ channels: 8, sampleRate: 7_350, data: bytes(16 * 5) }))
    expect(info).toMatchObject({ channels: 8, sampleRate: 7_350, samples: 5, seconds: 5 / 7_350 })
  })

  it('reads WAVE_FORMAT_EXTENSIBLE with a PCM or float subformat', () => {
    expect(
      parseWavHeader(buildWav({ extensibleTag: 1, bitsPerSample: 24, channels: 2, data: bytes(12) })),
    ).toMatchObject({
      format: 'pcm',
      bitsPerSample: 24,
      samples: 2,
      dataOffset: 12 + 48 + 8,
    })
    expect(parseWavHeader(buildWav({ extensibleTag: 3, bitsPerSample: 32, data: bytes(8) }))).toMatchObject({
      format: 'float',
      samples: 2,
    })
  })

  it('finds chunks in any order, skipping unknown ones and honouring odd-size padding', () => {
    const list = chunk('LIST', bytes(5)) // odd: followed by a pad byte
    const fact = chunk('fact', bytes(4))
    const wav = buildWav({
      before: [list],
      between: [fact],
      after: [chunk('id3 ', bytes(3))],
      dataFirst: true,
      data: int16Bytes([7, 8]),
    })
    const info = parseWavHeader(wav)
    expect(info.samples).toBe(2)
    expect(info.dataOffset).toBe(12 + 14 + 8)
    expect(new DataView(wav.buffer).getInt16(info.dataOffset, true)).toBe(7)
  })

  it('ignores a trailing fragment shorter than a chunk header and a partial last frame', () => {
    const wav = buildWav({ channels: 2, data: bytes(9) })
    const info = parseWavHeader(new Uint8Array([...wav, 0, 0, 0]))
    expect(info).toMatchObject({ samples: 2, dataLength: 8 })
  })

  it('accepts an empty data chunk', () => {
    expect(parseWavHeader(buildWav())).toMatchObject({ samples: 0, seconds: 0 })
  })

  const broken: [string, Uint8Array, string][] = [
    ['empty file', bytes(0), 'not a RIFF/WAVE file'],
    ['not RIFF', new TextEncoder().encode('PK\u0003\u0004 this is a zip file'), 'not a RIFF/WAVE file'],
    [
      'RIFF but not WAVE',
      new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000AVI LIST'),
      'not a RIFF/WAVE file',
    ],
    ['no fmt', buildWav().subarray(0, 12), 'no fmt chunk'],
    ['no data', buildWav().subarray(0, 36), 'no data chunk'],
    [
      'truncated data',
      buildWav({ data: bytes(400), dataSize: 1000 }),
      'data chunk truncated: header says 1000 bytes, 400 present',
    ],
    ['truncated fmt', buildWav().subarray(0, 30), 'fmt chunk truncated: header says 16 bytes, 10 present'],
    ['MP3', buildWav({ tag: 0x55 }), 'unsupported format tag 85 (MP3)'],
    ['unknown tag', buildWav({ tag: 0x1234 }), 'unsupported format tag 4660'],
    ['extensible MP3', buildWav({ extensibleTag: 0x55 }), 'unsupported format tag 85 (MP3)'],
    ['0 channels', buildWav({ channels: 0, blockAlign: 0 }), '0 channels'],
    ['9 channels', buildWav({ channels: 9 }), '9 channels, at most 8 supported'],
    ['rate 0', buildWav({ sampleRate: 0 }), 'sample rate 0'],
    ['12-bit PCM', buildWav({ bitsPerSample: 12, blockAlign: 2 }), 'unsupported 12-bit PCM samples'],
    ['16-bit float', buildWav({ tag: 3, bitsPerSample: 16 }), 'unsupported 16-bit float samples'],
    [
      'bad block align',
      buildWav({ blockAlign: 3 }),
      'block align 3 does not match 1 channels of 16 bits (2)',
    ],
    ['two data chunks', buildWav({ after: [chunk('data', bytes(2))] }), 'more than one data chunk'],
  ]
  it.each(broken)('rejects %s', (_name, wav, reason) => {
    expect(() => parseWavHeader(wav)).toThrow(WavFormatError)
    expect(() => parseWavHeader(wav)).toThrow(reason)
  })

  it('rejects an extensible subformat that is not a tag-based GUID', () => {
    const wav = buildWav({ extensibleTag: 1 })
    wav[12 + 8 + 24 + 4] = 0x99 // corrupt the GUID tail
    expect(() => parseWavHeader(wav)).toThrow('unsupported extensible subformat GUID')
  })

  it('rejects an extensible fmt chunk too short for its GUID', () => {
    const fmt = new Uint8Array(18)
    const v = new DataView(fmt.buffer)
    v.setUint16(0, 0xfffe, true)
    v.setUint16(2, 1, true)
    v.setUint32(4, 8000, true)
    v.setUint16(12, 2, true)
    v.setUint16(14, 16, true)
    const riff = new Uint8Array([
      ...new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVE'),
      ...chunk('fmt ', fmt),
      ...chunk('data', bytes(2)),
    ])
    expect(() => parseWavHeader(riff)).toThrow('WAVE_FORMAT_EXTENSIBLE fmt chunk too short')
  })
})
