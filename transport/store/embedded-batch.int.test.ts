import { mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Cid, Store } from '../../core/domain/index.ts'
import { createEmbeddedStore } from './index.ts'
import { fileIdentity, PendingSyncs } from './embedded/pending-syncs.ts'
import { patternedBytes } from './patterned-bytes.ts'
import { describeStoreContract } from './store-contract.ts'

const dirs: string[] = []

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'banzai-batch-'))
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

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describeStoreContract('embedded, sync: batch', async () =>
  createEmbeddedStore({ dir: await freshDir(), sync: 'batch' }),
)

describe('embedded store, sync: batch', () => {
  it('keeps 500 small blobs across flush and reopen, each recorded by a link to its block', async () => {
    const dir = await freshDir()
    const store = await createEmbeddedStore({ dir, sync: 'batch' })
    const blobs = Array.from({ length: 500 }, (_, i) => Buffer.from(`{"item":${i}}`))
    const puts = []
    for (const bytes of blobs) puts.push(await store.put(bytes))
    await store.flush()
    await store.close()
    const reopened = await createEmbeddedStore({ dir })
    expect(new Set(await listAll(reopened))).toEqual(new Set(puts.map((p) => p.cid)))
    for (const [i, { cid }] of puts.entries()) {
      expect((await collect(reopened.get(cid))).equals(blobs[i]!)).toBe(true)
      expect(await reopened.stat(cid)).toEqual({ cid, size: blobs[i]!.byteLength, pinned: false })
    }
    const roots = await readdir(join(dir, 'roots'))
    expect(roots.filter((name) => name.endsWith('.raw'))).toHaveLength(500)
    expect(roots.filter((name) => name.endsWith('.json'))).toHaveLength(0)
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
  })

  it('writes nothing for bytes already there, and deletes a raw blob with its link', async () => {
    const dir = await freshDir()
    const store = await createEmbeddedStore({ dir, sync: 'batch' })
    const { cid } = await store.put(Buffer.from('small and shared'))
    const block = (await readdir(join(dir, 'blocks'), { recursive: true })).find((p) => p.endsWith(cid))!
    const before = await stat(join(dir, 'blocks', block))
    await store.put(Buffer.from('small and shared'))
    expect((await stat(join(dir, 'blocks', block))).ino).toBe(before.ino)
    await store.delete(cid)
    expect(await store.has(cid)).toBe(false)
    expect(await listAll(store)).not.toContain(cid)
    expect(await readdir(join(dir, 'roots'))).toEqual([])
    await store.flush()
  })

  it('detects a damaged small block read through its root', async () => {
    const dir = await freshDir()
    const store = await createEmbeddedStore({ dir, sync: 'batch' })
    const { cid } = await store.put(Buffer.concat([...patternedBytes(100_000)]))
    await store.flush()
    const block = (await readdir(join(dir, 'blocks'), { recursive: true })).find((p) => p.endsWith(cid))!
    await writeFile(join(dir, 'blocks', block), Buffer.alloc(100_000))
    await expect(collect(store.get(cid))).rejects.toMatchObject({ code: 'corrupt' })
  })
})

describe('PendingSyncs', () => {
  it('syncs a few files one by one and many with one syncfs, tolerating files deleted since', async () => {
    const dir = await freshDir()
    for (const count of [3, 200]) {
      const pending = new PendingSyncs(dir)
      for (let i = 0; i < count; i++) {
        const path = join(dir, `f${count}-${i}`)
        await writeFile(path, `${i}`)
        pending.note(path)
      }
      pending.note(join(dir, 'deleted-since'))
      expect(pending.size).toBe(count + 1)
      await pending.flush()
      expect(pending.size).toBe(0)
    }
  })

  it('keeps the files noted when a sync fails, for the next flush', async () => {
    const dir = await freshDir()
    const pending = new PendingSyncs(dir)
    // A path under a regular file cannot be opened (ENOTDIR): the flush fails and keeps it.
    await writeFile(join(dir, 'plain'), 'x')
    pending.note(join(dir, 'plain', 'child'))
    await expect(pending.flush()).rejects.toMatchObject({ code: 'ENOTDIR' })
    expect(pending.size).toBe(1)
  })

  it('a file found in place is synced again only if this process has not synced that same file there', async () => {
    const dir = await freshDir()
    const pending = new PendingSyncs(dir)
    const path = join(dir, 'blob')
    await writeFile(path, 'x')
    pending.noteExisting(path, fileIdentity(await stat(path))) // put there by another process: synced
    expect(pending.size).toBe(1)
    await pending.flush()
    pending.noteExisting(path, fileIdentity(await stat(path))) // the same file, synced by us: nothing to do
    expect(pending.size).toBe(0)
    await rm(path)
    await writeFile(`${path}.tmp`, 'x')
    await rename(`${path}.tmp`, path) // replaced (a new file, maybe on the same inode number): synced again
    pending.noteExisting(path, fileIdentity(await stat(path)))
    expect(pending.size).toBe(1)
    await pending.flush()
    pending.note(path) // written by us again: always synced
    expect(pending.size).toBe(1)
  })
})
