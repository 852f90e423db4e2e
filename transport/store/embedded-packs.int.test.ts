import { spawn } from 'node:child_process'
import { open, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { Cid, Store } from '../../core/domain/index.ts'
import { createEmbeddedStore } from './index.ts'
import { patternedBytes } from './patterned-bytes.ts'

const dirs: string[] = []

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'banzai-packs-'))
  dirs.push(dir)
  return dir
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) parts.push(chunk)
  return Buffer.concat(parts)
}

async function listAll(store: Store): Promise<Cid[]> {
  const out: Cid[] = []
  for await (const cid of store.list()) out.push(cid)
  return out
}

/** The pack files of a store folder. */
async function packFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'packs'))).filter((name) => name.endsWith('.pack'))
}

const blobOf = (i: number, bytes = 0): Buffer => Buffer.from(`{"item":${i},"pad":"${'x'.repeat(bytes)}"}`)

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describe('embedded store, sync: batch, packs of small blobs', () => {
  it('packs 500 small blobs into one file, no file per blob, and keeps them across flush and reopen', async () => {
    const dir = await freshDir()
    const store = await createEmbeddedStore({ dir, sync: 'batch' })
    const blobs = Array.from({ length: 500 }, (_, i) => blobOf(i))
    const puts = []
    for (const bytes of blobs) puts.push(await store.put(bytes))
    await store.flush()
    await store.close()
    expect(await packFiles(dir)).toHaveLength(1)
    expect(await readdir(join(dir, 'roots'))).toEqual([])
    expect(await readdir(join(dir, 'blocks'))).toEqual([])
    const reopened = await createEmbeddedStore({ dir })
    expect(new Set(await listAll(reopened))).toEqual(new Set(puts.map((p) => p.cid)))
    for (const [i, { cid }] of puts.entries()) {
      expect((await collect(reopened.get(cid))).equals(blobs[i]!)).toBe(true)
      expect(await reopened.stat(cid)).toEqual({ cid, size: blobs[i]!.byteLength, pinned: false })
      expect(await reopened.has(cid)).toBe(true)
    }
    const part = await collect(reopened.get(puts[7]!.cid, { offset: 2, length: 5 }))
    expect(part.toString()).toBe(blobs[7]!.subarray(2, 7).toString())
    await reopened.close()
  })

  it('shows a blob to another process only once it is flushed, and to its own process at once', async () => {
    const dir = await freshDir()
    const worker = await createEmbeddedStore({ dir, sync: 'batch' })
    const monitor = await createEmbeddedStore({ dir })
    const { cid } = await worker.put(blobOf(1))
    expect(await worker.has(cid)).toBe(true)
    expect((await collect(worker.get(cid))).equals(blobOf(1))).toBe(true)
    expect(await monitor.has(cid)).toBe(false)
    await worker.flush()
    expect(await monitor.has(cid)).toBe(true)
    expect((await collect(monitor.get(cid))).equals(blobOf(1))).toBe(true)
    await worker.close()
    await monitor.close()
  })

  it('writes nothing for bytes already packed or already recorded as a file', async () => {
    const dir = await freshDir()
    const monitor = await createEmbeddedStore({ dir })
    const asFile = await monitor.put(Buffer.from('put by the monitor'))
    const worker = await createEmbeddedStore({ dir, sync: 'batch' })
    const first = await worker.put(Buffer.from('small and shared'))
    await worker.flush()
    const [pack] = await packFiles(dir)
    const size = (await stat(join(dir, 'packs', pack!))).size
    expect(await worker.put(Buffer.from('small and shared'))).toEqual(first)
    expect(await worker.put(Buffer.from('put by the monitor'))).toEqual(asFile)
    await worker.flush()
    expect((await stat(join(dir, 'packs', pack!))).size).toBe(size)
    expect((await listAll(worker)).sort()).toEqual([first.cid, asFile.cid].sort())
    await worker.close()
    await monitor.close()
  })

  it('detects a damaged packed blob', async () => {
    const dir = await freshDir()
    const store = await createEmbeddedStore({ dir, sync: 'batch' })
    const { cid } = await store.put(Buffer.concat([...patternedBytes(100_000)]))
    await store.close()
    const [pack] = await packFiles(dir)
    const file = await open(join(dir, 'packs', pack!), 'r+')
    await file.write(Buffer.from('damage'), 0, 6, 5000)
    await file.close()
    const reader = await createEmbeddedStore({ dir })
    await expect(collect(reader.get(cid))).rejects.toMatchObject({ code: 'corrupt' })
    await reader.close()
  })

  it('deletes packed blobs, removes a pack once nothing lives in it and compacts a sparse one', async () => {
    const dir = await freshDir()
    const worker = await createEmbeddedStore({ dir, sync: 'batch' })
    const blobs = Array.from({ length: 100 }, (_, i) => blobOf(i, 1000))
    const cids = []
    for (const bytes of blobs) cids.push((await worker.put(bytes)).cid)
    await worker.close()
    const [full] = await packFiles(dir)
    const fullSize = (await stat(join(dir, 'packs', full!))).size
    const monitor = await createEmbeddedStore({ dir })
    await monitor.pin(cids[0]!)
    // 70 of 100 go, the pinned one stays: the pack is compacted into a smaller one.
    await monitor.deleteMany!(cids.slice(0, 70))
    const [compacted, ...others] = await packFiles(dir)
    expect(others).toEqual([])
    expect(compacted).not.toBe(full)
    expect((await stat(join(dir, 'packs', compacted!))).size).toBeLessThan(fullSize * 0.35)
    const kept = [cids[0]!, ...cids.slice(70)]
    expect(new Set(await listAll(monitor))).toEqual(new Set(kept))
    for (const [i, cid] of cids.entries()) {
      expect(await monitor.has(cid)).toBe(i === 0 || i >= 70)
      if (i === 0 || i >= 70) expect((await collect(monitor.get(cid))).equals(blobs[i]!)).toBe(true)
    }
    await monitor.close()
    // Every blob gone (the compacted pack is the monitor's, sealed at its close): no pack is left.
    const last = await createEmbeddedStore({ dir })
    await last.unpin(cids[0]!)
    await last.deleteMany!(kept)
    expect(await listAll(last)).toEqual([])
    expect(await packFiles(dir)).toEqual([])
    await last.close()
  })

  it('loses only unflushed blobs when its process is killed, and reclaims the dead process pack', async () => {
    const dir = await freshDir()
    const script = join(dir, 'killed.mts')
    const storeModule = fileURLToPath(new URL('./index.ts', import.meta.url))
    await writeFile(
      script,
      `import { createEmbeddedStore } from ${JSON.stringify(storeModule)}
const store = await createEmbeddedStore({ dir: ${JSON.stringify(dir)}, sync: 'batch' })
const cids = []
for (let i = 0; i < 10; i++) cids.push((await store.put(Buffer.from('blob ' + i))).cid)
await store.flush()
for (let i = 10; i < 20; i++) cids.push((await store.put(Buffer.from('blob ' + i))).cid)
process.stdout.write(JSON.stringify(cids), () => process.kill(process.pid, 'SIGKILL'))
`,
    )
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)))
    expect(signal).toBe('SIGKILL')
    const cids = JSON.parse(out) as Cid[]
    const store = await createEmbeddedStore({ dir })
    for (const [i, cid] of cids.entries()) expect(await store.has(cid)).toBe(i < 10)
    expect((await collect(store.get(cids[3]!))).toString()).toBe('blob 3')
    // The dead writer's pack, unsealed, is removed once its last indexed blob goes.
    await store.deleteMany!(cids.slice(0, 10))
    expect(await packFiles(dir)).toEqual([])
    await store.close()
  })
})
