import { copyFile, readdir, readFile, symlink, utimes, writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { argsSchema, FETCH_FESTVOX, isRetryable } from '../../core/domain/index.ts'
import { makeTaskContext, type TestTaskContext } from '../../test/support/task-context.ts'
import { documentRefs, readBytes, readManifest } from '../documents.ts'
import { parseWavHeader } from '../wav/index.ts'
import { fetchFestvox } from './index.ts'
import { leftoverTemps } from './test-support/temp-files.ts'

const fixtures = new URL('../../fixtures/arctic/', import.meta.url)
const fixtureRoot = fileURLToPath(fixtures)
const zipUrl = (spk: string) => new URL(`cmu_us_${spk}_arctic-0.90-release.zip`, fixtures).href

async function run(ctx: TestTaskContext, url: string, ...urls: string[]) {
  if (fetchFestvox.kind !== 'whole') throw new Error('FETCH_FESTVOX runs whole')
  return fetchFestvox.run(null, [url, ...urls], ctx)
}

describe('FETCH_FESTVOX on the fixture zips (file: URLs)', () => {
  it('lists the test zip: 4 items with texts and durations, README and COPYING ignored silently', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [fixtureRoot] })
    const result = await run(ctx, zipUrl('test'))
    const manifest = await readManifest(ctx.store, result.output)
    expect(manifest.kind).toBe('banzai.dataset/1')
    expect(manifest.items.map((i) => i.id)).toEqual([
      'test/arctic_a0001',
      'test/arctic_a0002',
      'test/arctic_a0003',
      'test/arctic_a0004',
    ])
    expect(manifest.items.map((i) => Math.round(i.seconds * 10) / 10)).toEqual([3.2, 3.3, 9.9, 10.7])
    const first = manifest.items[0]!
    expect(first).toMatchObject({
      speaker: 'test',
      utterance: 'arctic_a0001',
      sampleRate: 16_000,
      channels: 1,
    })
    expect(first.text).toBe('The quick brown fox jumps over the lazy dog.')
    expect(first.samples).toBe(Math.round(first.seconds * 16_000))
    expect(manifest.sources).toHaveLength(1)
    expect(manifest.sources[0]).toMatchObject({ url: zipUrl('test'), skipped: [] })
    // Each WAV is its own blob, and it is the WAV itself.
    const wav = await readBytes(ctx.store, first.audio)
    expect(parseWavHeader(wav).samples).toBe(first.samples)
    // The manifest references its zip and WAVs itself (SPEC §3): nothing is listed beside it.
    expect(result.refs).toEqual([])
    expect(documentRefs(manifest)).toEqual([manifest.sources[0]!.cid, ...manifest.items.map((i) => i.audio)])
    expect(result.stats).toEqual({
      items: 4,
      skipped: 0,
      bytes: (await readFile(new URL(zipUrl('test')))).length,
    })
    // Progress went in bytes, then in files.
    const units = [...new Set(ctx.progressCalls.map((p) => p.unit))]
    expect(units).toEqual(['bytes', 'files'])
    expect(ctx.progressCalls.filter((p) => p.unit === 'files').at(-1)).toEqual({
      done: 10,
      total: 10,
      unit: 'files',
    })
    // Nothing left in the temp folder.
    expect(await leftoverTemps(ctx.settings.dataDir)).toEqual([])
  })

  it('merges several zips: items sorted by id across all, one source per zip', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [fixtureRoot] })
    const urls = [zipUrl('sus'), zipUrl('ssc'), zipUrl('sf3')] as const
    const result = await run(ctx, ...urls)
    const manifest = await readManifest(ctx.store, result.output)
    expect(manifest.items).toHaveLength(60)
    const ids = manifest.items.map((i) => i.id)
    expect(ids).toEqual([...ids].sort())
    expect(ids[0]).toBe('sf3/arctic_a0001')
    expect(new Set(manifest.items.map((i) => i.speaker))).toEqual(new Set(['sus', 'ssc', 'sf3']))
    expect(manifest.items.every((i) => typeof i.text === 'string' && i.text.length > 0)).toBe(true)
    expect(manifest.items.every((i) => i.seconds > 1.4 && i.seconds < 4.6)).toBe(true)
    expect(manifest.sources.map((s) => s.url)).toEqual(urls)
    expect(manifest.items.filter((i) => i.seconds >= 2)).toHaveLength(51)
    expect(result.stats?.items).toBe(60)
    // Files are counted across all zips (never restarting), and each unit names its zip.
    const files = ctx.progressCalls.filter((p) => p.unit.startsWith('files'))
    expect(files.map((p) => p.done)).toEqual([...files.map((p) => p.done)].sort((a, b) => a - b))
    const lastFiles = files.at(-1)!
    expect(lastFiles.unit).toBe('files (zip 3/3)')
    expect(lastFiles.done).toBe(lastFiles.total)
    expect(lastFiles.done).toBeGreaterThan(files.find((p) => p.unit === 'files (zip 1/3)')!.total)
    expect(ctx.progressCalls.some((p) => p.unit === 'bytes (zip 2/3)')).toBe(true)
  })

  it('does not extract a zip twice: the second run stores nothing but reuses the same manifest', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [fixtureRoot] })
    const first = await run(ctx, zipUrl('sus'))
    const putsAfterFirst = ctx.store.puts.length
    expect(putsAfterFirst).toBeGreaterThanOrEqual(22) // zip + 20 WAVs + part + manifest
    const again = makeTaskContext('FETCH_FESTVOX', {
      allowedRoots: [fixtureRoot],
      dataDir: ctx.settings.dataDir,
      store: ctx.store,
    })
    const second = await run(again, zipUrl('sus'))
    expect(second.output).toBe(first.output)
    // Only the manifest is written again (same bytes, same CID): no zip copy, no WAV.
    expect(ctx.store.puts.slice(putsAfterFirst)).toEqual([first.output])
    expect(again.logs.some((l) => l.includes('unchanged since last read'))).toBe(true)
    expect(again.logs.some((l) => l.includes('was extracted before'))).toBe(true)
  })

  it('extracts again when the store lost a WAV of the cached part', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [fixtureRoot] })
    const first = await run(ctx, zipUrl('test'))
    const manifest = await readManifest(ctx.store, first.output)
    await ctx.store.delete(manifest.items[0]!.audio)
    const second = await run(ctx, zipUrl('test'))
    expect(second.output).toBe(first.output)
    expect(await ctx.store.has(manifest.items[0]!.audio)).toBe(true)
  })

  it('refuses file: URLs outside the allowed roots, also through .. and symlinks', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'banzai-outside-'))
    const outsideZip = join(elsewhere, 'x.zip')
    await writeFile(outsideZip, await readFile(new URL(zipUrl('test'))))
    const root = await mkdtemp(join(tmpdir(), 'banzai-root-'))
    await symlink(outsideZip, join(root, 'link.zip'))
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [root] })
    const attempts = [
      pathToFileURL(outsideZip).href,
      `${pathToFileURL(root).href}/../${elsewhere.split('/').at(-1)}/x.zip`,
      pathToFileURL(join(root, 'link.zip')).href,
    ]
    for (const url of attempts) {
      const error = await run(ctx, url).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toContain('outside the allowed roots')
      expect((error as Error).message).toContain(root)
      expect(isRetryable(error)).toBe(false)
    }
    const none = makeTaskContext('FETCH_FESTVOX')
    await expect(run(none, zipUrl('test'))).rejects.toThrow(
      /outside the allowed roots \(none are configured\)/,
    )
  })

  it('fails clearly on a truncated zip and on a file that is not a zip', async () => {
    const root = await mkdtemp(join(tmpdir(), 'banzai-bad-'))
    const whole = await readFile(new URL(zipUrl('test')))
    await writeFile(join(root, 'truncated.zip'), whole.subarray(0, Math.floor(whole.length / 2)))
    await writeFile(join(root, 'notes.zip'), 'this is not a zip at all\n')
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [root] })
    for (const name of ['truncated.zip', 'notes.zip']) {
      const url = pathToFileURL(join(root, name)).href
      const error = await run(ctx, url).then(
        () => null,
        (e: unknown) => e,
      )
      expect((error as Error).message).toBe(
        `${url}: not a zip archive, or a truncated one (no end-of-central-directory record)`,
      )
      expect(isRetryable(error)).toBe(false)
    }
    expect(await leftoverTemps(ctx.settings.dataDir)).toEqual([])
  })

  it('stops promptly when aborted', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [fixtureRoot] })
    ctx.controller.abort(new Error('cancelled by test'))
    await expect(run(ctx, zipUrl('sus'))).rejects.toThrow('cancelled by test')
  })

  it('stops promptly when aborted during extraction, leaving no temp file and no cached part', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [fixtureRoot] })
    const report = ctx.progress.bind(ctx)
    ctx.progress = (done, total, unit) => {
      report(done, total, unit)
      if (unit === 'files' && done === 6) ctx.controller.abort(new Error('cancelled during extraction'))
    }
    await expect(run(ctx, zipUrl('sus'))).rejects.toThrow('cancelled during extraction')
    expect(ctx.progressCalls.filter((p) => p.unit === 'files').at(-1)?.done).toBe(6)
    expect(await leftoverTemps(ctx.settings.dataDir)).toEqual([])
    expect(await readdir(join(ctx.settings.dataDir, 'fetch-festvox'))).toEqual(['validators.json'])
  })

  it('reads a file: zip in place, and fails (retryable) when the file changes while it is stored or extracted', async () => {
    const root = await mkdtemp(join(tmpdir(), 'banzai-inplace-'))
    const zip = join(root, 'cmu_us_sus_arctic-0.90-release.zip')
    await copyFile(new URL(zipUrl('sus')), zip)
    // Touch the zip at the n-th put: the 1st is the zip itself, the 2nd the first WAV.
    for (const touchAt of [1, 2]) {
      const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [root] })
      const put = ctx.store.put.bind(ctx.store)
      let puts = 0
      ctx.store.put = async (bytes) => {
        if (++puts === touchAt) await utimes(zip, new Date(), new Date(Date.now() + 60_000 * touchAt))
        return put(bytes)
      }
      const error: unknown = await run(ctx, pathToFileURL(zip).href).catch((e: unknown) => e)
      expect(String(error), `touched at put ${touchAt}`).toContain('the file changed while it was being read')
      expect(isRetryable(error)).toBe(true)
      // No temp copy was made: the zip was read where it lies.
      expect(await leftoverTemps(ctx.settings.dataDir)).toEqual([])
    }
    const ctx = makeTaskContext('FETCH_FESTVOX', { allowedRoots: [root] })
    const manifest = await readManifest(ctx.store, (await run(ctx, pathToFileURL(zip).href)).output)
    expect(manifest.items.length).toBeGreaterThan(0)
  })

  it('its declared arguments reject what is not a URL (the worker parses them before running)', () => {
    const parsed = argsSchema(FETCH_FESTVOX).safeParse([42])
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual([
      'FETCH_FESTVOX.args[0] (url) must be an http:, https: or file: URL of a Festvox zip, got 42',
    ])
  })
})
