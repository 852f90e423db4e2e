import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { type ArgsOf, asCid, type DatasetItem } from '../../core/domain/index.ts'
import { makeTaskContext, type TestTaskContext } from '../../test/support/task-context.ts'
import { readBytes } from '../documents.ts'
import { decodeNpy } from '../npy/index.ts'
import { parseWavHeader, WavFormatError } from '../wav/index.ts'
import { GOLDEN_UTTERANCES, readGolden, type GoldenMfcc } from './golden.test-support.ts'
import { extractMfcc } from './index.ts'

const ARGS: ArgsOf<'EXTRACT_MFCC'> = [32, 24, 1, 8000, 16000]

async function addItem(ctx: TestTaskContext, fixture: string): Promise<DatasetItem> {
  const bytes = await readFile(new URL(`../../fixtures/${fixture}`, import.meta.url))
  const info = parseWavHeader(bytes)
  const { cid } = await ctx.store.put(bytes)
  const utterance = fixture.replace(/^.*\//, '').replace(/\.wav$/, '')
  return { id: `test/${utterance}`, speaker: 'test', utterance, audio: cid, ...info }
}

async function runItem(
  fixture: string,
  args: ArgsOf<'EXTRACT_MFCC'> = ARGS,
): Promise<{ data: Float32Array; shape: number[]; frames: unknown }> {
  if (extractMfcc.kind !== 'perItem') throw new Error('EXTRACT_MFCC must be a perItem task')
  const ctx = makeTaskContext('EXTRACT_MFCC', { args })
  const outcome = await extractMfcc.runItem(await addItem(ctx, fixture), args, ctx)
  const cid = asCid(String(outcome.fields.mfcc))
  expect(outcome.refs).toEqual([cid])
  const npy = decodeNpy(await readBytes(ctx.store, cid))
  return { ...npy, frames: outcome.fields.frames }
}

/** Mean and max |ours − golden| over frames, and the mean over speech frames (c0 above its lower quartile). */
function compare(
  ours: { data: Float32Array; shape: number[] },
  golden: GoldenMfcc,
): { max: number; mean: number; speechMean: number } {
  const c0 = golden.mfcc.map((row) => row[0]!).sort((a, b) => a - b)
  const quartile = c0[Math.floor(c0.length / 4)]!
  let max = 0,
    sum = 0,
    speech = 0,
    speechCount = 0
  golden.mfcc.forEach((row, f) =>
    row.forEach((v, k) => {
      const e = Math.abs(ours.data[f * golden.shape[1] + k]! - v)
      max = Math.max(max, e)
      sum += e
      if (row[0]! > quartile) {
        speech += e
        speechCount++
      }
    }),
  )
  return { max, mean: sum / golden.mfcc.length / golden.shape[1], speechMean: speech / speechCount }
}

describe('EXTRACT_MFCC per item', () => {
  it.each(GOLDEN_UTTERANCES)(
    '%s: stores a [frames, 24] float32 .npy matching the reference within 1e-3',
    async (utt) => {
      const ours = await runItem(`golden/${utt}.wav`)
      const golden = await readGolden(`${utt}.mfcc.json`)
      expect(ours.shape).toEqual(golden.shape)
      expect(ours.frames).toBe(golden.shape[0])
      expect(compare(ours, golden).max).toBeLessThanOrEqual(1e-3)
    },
  )

  it('uses the meyda engine when asked', async () => {
    const ours = await runItem('golden/arctic_a0002.wav', [32, 24, 1, 8000, 16000, { engine: 'meyda' }])
    const golden = await readGolden('arctic_a0002.meyda.json')
    expect(ours.shape).toEqual(golden.shape)
    expect(compare(ours, golden).max).toBeLessThanOrEqual(1e-3)
  })

  it('averages a stereo file to mono (both channels equal the 16 kHz original, so the result is the reference)', async () => {
    const ours = await runItem('audio/arctic_a0001_stereo.wav')
    expect(compare(ours, await readGolden('arctic_a0001.mfcc.json')).max).toBeLessThanOrEqual(1e-3)
  })

  it('resamples a 22,050 Hz file to 16 kHz first', async () => {
    // fixtures/audio/arctic_a0001_22050.wav is the golden WAV taken to 22,050 Hz by sox (`rate -v`,
    // dithered to 16 bits), then brought back here by libsamplerate: two band-limited conversions
    // and two requantisations. Those change speech frames very little (measured mean 0.010) but
    // rewrite the digital silence of the quiet frames, where log(eps) ≈ −36 meets dither noise
    // (measured max 4.2 on c0 of one silent frame; scipy's resample_poly does the same: 4.4). So
    // the bounds are on means: ≤ 0.05 over speech frames, ≤ 0.2 overall (measured 0.093). Measured
    // failures it catches: a one-sample time shift (speech mean 0.08), linear interpolation without
    // a low-pass (0.26), zero-order hold (1.2); a wrong rate changes the shape.
    const ours = await runItem('audio/arctic_a0001_22050.wav')
    const golden = await readGolden('arctic_a0001.mfcc.json')
    expect(ours.shape).toEqual(golden.shape)
    const error = compare(ours, golden)
    expect(error.speechMean).toBeLessThanOrEqual(0.05)
    expect(error.mean).toBeLessThanOrEqual(0.2)
  })

  it('fails an item whose WAV is broken with the reason', async () => {
    if (extractMfcc.kind !== 'perItem') throw new Error('EXTRACT_MFCC must be a perItem task')
    const ctx = makeTaskContext('EXTRACT_MFCC', { args: ARGS })
    const { cid } = await ctx.store.put(new TextEncoder().encode('not a wav at all'))
    const item: DatasetItem = {
      id: 'x/y',
      speaker: 'x',
      utterance: 'y',
      audio: cid,
      sampleRate: 16000,
      channels: 1,
      samples: 1,
      seconds: 0,
    }
    await expect(extractMfcc.runItem(item, ARGS, ctx)).rejects.toThrow(WavFormatError)
  })

  it('stops when the order is cancelled', async () => {
    if (extractMfcc.kind !== 'perItem') throw new Error('EXTRACT_MFCC must be a perItem task')
    const ctx = makeTaskContext('EXTRACT_MFCC', { args: ARGS })
    const item = await addItem(ctx, 'golden/arctic_a0001.wav')
    ctx.controller.abort(new Error('cancelled by the user'))
    await expect(extractMfcc.runItem(item, ARGS, ctx)).rejects.toThrow('cancelled by the user')
    expect(ctx.store.puts).toEqual([item.audio])
  })
})
