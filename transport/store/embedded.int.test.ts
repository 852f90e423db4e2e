import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Store } from '../../core/domain/index.ts'
import { createEmbeddedStore } from './index.ts'
import { patternedBytes } from './patterned-bytes.ts'
import { describeStoreContract } from './store-contract.ts'

const dirs: string[] = []

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'banzai-store-'))
  dirs.push(dir)
  return dir
}

async function freshStore(): Promise<{ store: Store; dir: string }> {
  const dir = await freshDir()
  return { store: await createEmbeddedStore({ dir }), dir }
}

async function filesUnder(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    const info = await stat(path)
    out.set(path, `${info.ino}:${info.mtimeMs}`)
  }
  return out
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describeStoreContract('embedded', async () => (await freshStore()).store)

describe('embedded store on disk', () => {
  it('detects a flipped byte in a stored block and never returns the bad bytes', async () => {
    const { store, dir } = await freshStore()
    const bytes = new Uint8Array(Buffer.concat([...patternedBytes(3 * 262_144)]))
    const { cid } = await store.put(bytes)
    const leaves = [...(await filesUnder(join(dir, 'blocks'))).keys()].filter((path) =>
      path.includes('bafkrei'),
    )
    expect(leaves).toHaveLength(3)
    const secondLeaf = bytes.subarray(262_144, 2 * 262_144)
    let target = ''
    for (const path of leaves) if (Buffer.from(await readFile(path)).equals(secondLeaf)) target = path
    const damaged = Buffer.from(secondLeaf)
    damaged[1000] = (damaged[1000]! + 1) % 256
    await writeFile(target, damaged)
    const got: Uint8Array[] = []
    const reading = (async () => {
      for await (const chunk of store.get(cid)) got.push(chunk)
    })()
    await expect(reading).rejects.toMatchObject({ code: 'corrupt' })
    const delivered = Buffer.concat(got)
    expect(delivered.byteLength).toBeLessThanOrEqual(262_144)
    expect(delivered.equals(bytes.subarray(0, delivered.byteLength))).toBe(true)
    await expect(
      (async () => {
        for await (const _ of store.get(cid, { offset: 262_144 + 999, length: 2 })) void _
      })(),
    ).rejects.toMatchObject({ code: 'corrupt' })
  })

  it('writes nothing when the bytes are already there, and leaves no temp files', async () => {
    const { store, dir } = await freshStore()
    const first = await store.put(patternedBytes(1_048_577))
    const before = await filesUnder(dir)
    const again = await store.put(patternedBytes(1_048_577, 4096))
    expect(again).toEqual(first)
    expect(await filesUnder(dir)).toEqual(before)
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
  })

  it('streams a 192 MiB blob in and out without holding it in memory', async () => {
    // Tolerance: heap + ArrayBuffers may grow by garbage not yet collected (≈40–50 MiB seen),
    // but never by the blob itself (192 MiB), which is what buffering would cost.
    const size = 192 * 1_048_576
    const { store } = await freshStore()
    const base = process.memoryUsage()
    let peak = 0
    const sample = (): void => {
      const now = process.memoryUsage()
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - base.heapUsed - base.arrayBuffers)
    }
    const sampled = function* (): Generator<Uint8Array> {
      for (const piece of patternedBytes(size)) {
        sample()
        yield piece
      }
    }
    const { cid } = await store.put(sampled())
    let read = 0
    for await (const chunk of store.get(cid)) {
      read += chunk.byteLength
      sample()
    }
    expect(read).toBe(size)
    expect(peak).toBeLessThan(120 * 1_048_576)
  })

  it('leaves no blocks behind when the source of a put fails midway', async () => {
    const { store, dir } = await freshStore()
    const kept = await store.put(patternedBytes(300_000))
    const before = await filesUnder(dir)
    const failing = function* (): Generator<Uint8Array> {
      yield* patternedBytes(6_000_000, 100_000, 5)
      throw new Error('source broke')
    }
    await expect(store.put(failing())).rejects.toThrow('source broke')
    expect(await filesUnder(dir)).toEqual(before)
    expect(await store.has(kept.cid)).toBe(true)
  })

  it('keeps its blobs across a reopen, and has() is false once a block is gone', async () => {
    const { store, dir } = await freshStore()
    const { cid } = await store.put(patternedBytes(600_000))
    await store.pin(cid)
    await store.close()
    const reopened = await createEmbeddedStore({ dir })
    expect(await reopened.stat(cid)).toEqual({ cid, size: 600_000, pinned: true })
    const leaf = [...(await filesUnder(join(dir, 'blocks'))).keys()].find((path) => path.includes('bafkrei'))
    await rm(leaf!)
    expect(await reopened.has(cid)).toBe(false)
    expect(await reopened.stat(cid)).toBeNull()
  })
})
