import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { DatasetManifest } from '../../core/domain/index.ts'
import { makeTaskContext } from '../../test/support/task-context.ts'
import { readBytes, readManifest } from '../documents.ts'
import { createFetchFestvox, fetchFestvox, type LimitOverrides } from './index.ts'
import {
  breakCentralEntry,
  buildZip,
  makeWav,
  patchCentralEntry,
  type TestEntry,
} from './test-support/hostile-zips.ts'
import { leftoverTemps } from './test-support/temp-files.ts'

const DIR = 'cmu_us_evl_arctic'
let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'banzai-hostile-'))
})

async function fetchZip(
  zip: Buffer,
  overrides: LimitOverrides = {},
): Promise<{ manifest: DatasetManifest; dataDir: string }> {
  const path = join(root, `${Math.random().toString(36).slice(2)}.zip`)
  await writeFile(path, zip)
  const task = createFetchFestvox(overrides)
  const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [root] })
  if (task.kind !== 'whole') throw new Error('FETCH_FESTVOX runs whole')
  const result = await task.run(null, [pathToFileURL(path).href], ctx)
  return { manifest: await readManifest(ctx.store, result.output), dataDir: ctx.settings.dataDir }
}

const good = (utt: string): TestEntry => ({ name: `${DIR}/wav/${utt}.wav`, data: makeWav(1_600) })
const reasons = (manifest: DatasetManifest) =>
  Object.fromEntries(manifest.sources[0]!.skipped.map((s) => [s.entry, s.reason]))

describe('FETCH_FESTVOX on hostile zips', () => {
  it('skips hostile and broken entries with their reasons, keeps the good ones, writes nothing outside dataDir', async () => {
    const zip = await buildZip([
      good('arctic_a0001'),
      { name: '../evil.wav', data: makeWav(10) },
      { name: `${DIR}/wav/../../../../tmp/evil.wav`, data: makeWav(10) },
      { name: '/etc/evil.wav', data: makeWav(10) },
      { name: `${DIR}/wav/link.wav`, data: '/etc/passwd', mode: 0o120777 },
      { name: `${DIR}/wav/fake.wav`, data: 'I am not a WAV file, just text pretending.' },
      {
        name: `${DIR}/wav/nofmt.wav`,
        data: Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WAVEdata\x04\x00\x00\x00'), Buffer.alloc(4)]),
      },
      { name: `${DIR}/wav/short.wav`, data: makeWav(1_600).subarray(0, 500) },
      { name: `${DIR}/wav/notes.txt`, data: 'hello' },
      { name: `${DIR}/README`, data: 'ignored silently' },
      {
        name: `${DIR}/etc/txt.done.data`,
        data: '( arctic_a0001 "Hello there." )\n( arctic_a0002 "Never recorded." )\n',
      },
      good('arctic_a0002'),
    ])
    const { manifest, dataDir } = await fetchZip(zip)
    expect(manifest.items.map((i) => [i.id, i.text])).toEqual([
      ['evl/arctic_a0001', 'Hello there.'],
      ['evl/arctic_a0002', 'Never recorded.'],
    ])
    expect(reasons(manifest)).toEqual({
      '../evil.wav': 'path escapes the archive (zip-slip)',
      [`${DIR}/wav/../../../../tmp/evil.wav`]: 'path escapes the archive (zip-slip)',
      '/etc/evil.wav': 'absolute path',
      [`${DIR}/wav/link.wav`]: 'symbolic link',
      [`${DIR}/wav/fake.wav`]: 'not a RIFF/WAVE file',
      [`${DIR}/wav/nofmt.wav`]: 'no fmt chunk',
      [`${DIR}/wav/short.wav`]: 'data chunk truncated: header says 3200 bytes, 456 present',
      [`${DIR}/wav/notes.txt`]: 'not a .wav file (in a wav/ folder)',
    })
    expect(await leftoverTemps(dataDir)).toEqual([])
    expect((await readdir(root)).every((f) => f.endsWith('.zip'))).toBe(true)
  })

  it('keeps an utterance without a transcript, with no text', async () => {
    const { manifest } = await fetchZip(await buildZip([good('arctic_b0001')]))
    expect(manifest.items).toHaveLength(1)
    expect(manifest.items[0]).not.toHaveProperty('text')
  })

  it('streams an entry too large to read whole (over 32 MiB stored) and keeps its bytes exact', async () => {
    // 17.5 M samples of a ramp, stored: a 35 MB WAV whose bytes come through the reader's stream.
    const wav = makeWav(17_500_000)
    const path = join(root, 'large.zip')
    await writeFile(
      path,
      await buildZip([good('arctic_a0001'), { name: `${DIR}/wav/long.wav`, data: wav, compress: false }]),
    )
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [root] })
    if (fetchFestvox.kind !== 'whole') throw new Error('FETCH_FESTVOX runs whole')
    const manifest = await readManifest(
      ctx.store,
      (await fetchFestvox.run(null, [pathToFileURL(path).href], ctx)).output,
    )
    const long = manifest.items.find((i) => i.utterance === 'long')!
    expect(long.samples).toBe(17_500_000)
    expect(Buffer.from(await readBytes(ctx.store, long.audio, 2 ** 31 - 1)).equals(wav)).toBe(true)
  })

  it('skips an entry over the per-entry size limit', async () => {
    const zip = await buildZip([good('arctic_a0001'), { name: `${DIR}/wav/big.wav`, data: makeWav(20_000) }])
    const { manifest } = await fetchZip(zip, { extract: { maxEntryBytes: 10_000 } })
    expect(manifest.items.map((i) => i.utterance)).toEqual(['arctic_a0001'])
    expect(reasons(manifest)[`${DIR}/wav/big.wav`]).toBe(
      'zip bomb: uncompressed size 40044 bytes exceeds the per-entry limit of 10000',
    )
  })

  it('skips an entry whose compression ratio is too high (a real bomb: 2 MB of silence)', async () => {
    const zip = await buildZip([
      good('arctic_a0001'),
      { name: `${DIR}/wav/bomb.wav`, data: makeWav(1_000_000, 16_000, () => 0) },
    ])
    const { manifest } = await fetchZip(zip)
    expect(manifest.items.map((i) => i.utterance)).toEqual(['arctic_a0001'])
    expect(reasons(manifest)[`${DIR}/wav/bomb.wav`]).toMatch(
      /^zip bomb: compression ratio \d+ exceeds the limit of 100$/,
    )
  })

  it('skips an entry that inflates past the size its header declares', async () => {
    const zip = await buildZip([good('arctic_a0001'), { name: `${DIR}/wav/liar.wav`, data: makeWav(50_000) }])
    patchCentralEntry(zip, `${DIR}/wav/liar.wav`, 'uncompressedSize', 1_000)
    const { manifest } = await fetchZip(zip)
    expect(manifest.items.map((i) => i.utterance)).toEqual(['arctic_a0001'])
    expect(reasons(manifest)[`${DIR}/wav/liar.wav`]).toMatch(/^zip bomb: inflates past its declared size/)
  })

  it('skips an entry whose bytes do not match its CRC-32', async () => {
    const flipped = makeWav(3_000)
    const zip = await buildZip([
      good('arctic_a0001'),
      { name: `${DIR}/wav/stored.wav`, data: flipped, compress: false },
    ])
    // Flip one sample byte inside the stored data (the WAV header stays valid).
    const at = zip.indexOf(Buffer.from(flipped.subarray(1_000, 1_040))) + 20
    zip[at] = zip[at]! ^ 0xff
    const { manifest } = await fetchZip(zip)
    expect(manifest.items.map((i) => i.utterance)).toEqual(['arctic_a0001'])
    expect(reasons(manifest)[`${DIR}/wav/stored.wav`]).toBe('corrupt entry data (CRC-32 mismatch)')
  })

  it('skips entries once the total uncompressed limit is reached', async () => {
    const zip = await buildZip(['a', 'b', 'c', 'd'].map((u) => good(`arctic_${u}`)))
    const { manifest } = await fetchZip(zip, { extract: { maxTotalBytes: 7_000 } })
    // Each WAV is 3,244 bytes: two fit in 7,000.
    expect(manifest.items.map((i) => i.utterance)).toEqual(['arctic_a', 'arctic_b'])
    expect(Object.values(reasons(manifest))).toEqual([
      "zip bomb: the archive's total uncompressed size limit of 7000 bytes is reached",
      "zip bomb: the archive's total uncompressed size limit of 7000 bytes is reached",
    ])
  })

  it('skips a duplicate entry name', async () => {
    const zip = await buildZip([good('arctic_a0001'), good('arctic_a0001')])
    const { manifest } = await fetchZip(zip)
    expect(manifest.items).toHaveLength(1)
    expect(manifest.sources[0]!.skipped).toEqual([
      { entry: `${DIR}/wav/arctic_a0001.wav`, reason: 'duplicate entry for item evl/arctic_a0001' },
    ])
  })

  it('skips, in a later zip, an item id an earlier zip already gave', async () => {
    const first = join(root, 'first.zip')
    const second = join(root, 'second.zip')
    await writeFile(first, await buildZip([good('arctic_a0001')]))
    await writeFile(second, await buildZip([good('arctic_a0001'), good('arctic_a0002')]))
    const task = createFetchFestvox()
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [root] })
    if (task.kind !== 'whole') throw new Error('FETCH_FESTVOX runs whole')
    const result = await task.run(null, [pathToFileURL(first).href, pathToFileURL(second).href], ctx)
    const manifest = await readManifest(ctx.store, result.output)
    expect(manifest.items.map((i) => i.id)).toEqual(['evl/arctic_a0001', 'evl/arctic_a0002'])
    expect(manifest.sources[1]!.skipped).toEqual([
      {
        entry: `${DIR}/wav/arctic_a0001.wav`,
        reason: `duplicate item evl/arctic_a0001, already taken from ${pathToFileURL(first).href}`,
      },
    ])
  })

  it('skips encrypted entries and unknown compression methods', async () => {
    const zip = await buildZip([good('arctic_a0001'), good('arctic_a0002'), good('arctic_a0003')])
    patchCentralEntry(zip, `${DIR}/wav/arctic_a0002.wav`, 'flags', 1)
    patchCentralEntry(zip, `${DIR}/wav/arctic_a0003.wav`, 'compressionMethod', 99)
    const { manifest } = await fetchZip(zip)
    expect(manifest.items.map((i) => i.utterance)).toEqual(['arctic_a0001'])
    expect(reasons(manifest)).toEqual({
      [`${DIR}/wav/arctic_a0002.wav`]: 'encrypted entry',
      [`${DIR}/wav/arctic_a0003.wav`]: 'unsupported compression method 99',
    })
  })

  it('fails the task on a broken central directory, naming the URL', async () => {
    const zip = await buildZip([good('arctic_a0001'), good('arctic_a0002')])
    breakCentralEntry(zip, `${DIR}/wav/arctic_a0002.wav`)
    await expect(fetchZip(zip)).rejects.toThrow(
      /^file:.*\.zip: broken zip central directory \(invalid central directory file header signature: 0xdeadbeef\)$/,
    )
  })
})
