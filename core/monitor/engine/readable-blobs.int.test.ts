import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { type Cid, type Store, writeJson } from '../../domain/index.ts'
import { createEmbeddedStore } from '../../../transport/store/index.ts'
import { ReadableBlobs } from './readable-blobs.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A real embedded store that counts the `has` questions asked of it. */
async function countingStore(): Promise<{ store: Store; asked: () => number }> {
  const dir = mkdtempSync(join(tmpdir(), 'banzai-readable-'))
  dirs.push(dir)
  const store = await createEmbeddedStore({ dir })
  let asked = 0
  const has = store.has.bind(store)
  store.has = (cid: Cid) => {
    asked++
    return has(cid)
  }
  return { store, asked: () => asked }
}

describe('ReadableBlobs: outputs checked once, forgotten on deletion', () => {
  test('a reported output is checked against the store once; a deletion through the store forgets it, and a deleted output is no longer readable', async () => {
    const { store, asked } = await countingStore()
    const readable = new ReadableBlobs(store)
    const engineStore = readable.forgetfulStore()
    const item = await writeJson(store, { a: 1 })
    const doc = await writeJson(store, { kind: 'banzai.dataset/1', sources: [], items: [] })
    expect(await readable.isReported(doc, [item], 1000)).toBe(true)
    const afterFirst = asked()
    expect(afterFirst).toBeGreaterThan(0)
    expect(await readable.isReported(doc, [], 1000)).toBe(true)
    expect(asked()).toBe(afterFirst)
    await engineStore.delete(doc)
    expect(await readable.isReported(doc, [], 1000)).toBe(false)
    expect(asked()).toBeGreaterThan(afterFirst)
  })

  test('a memo hit is checked in full every time: a blob deleted behind the monitor is noticed', async () => {
    const { store, asked } = await countingStore()
    const readable = new ReadableBlobs(store)
    const doc = await writeJson(store, { b: 2 })
    expect(await readable.isReported(doc, [], 1000)).toBe(true)
    const before = asked()
    expect(await readable.isReadable(doc, [])).toBe(true)
    expect(asked()).toBeGreaterThan(before)
    await store.delete(doc)
    expect(await readable.isReadable(doc, [])).toBe(false)
  })

  test('an output that is not held is never remembered', async () => {
    const { store } = await countingStore()
    const readable = new ReadableBlobs(store)
    const missing = await writeJson(store, { gone: true })
    await store.delete(missing)
    expect(await readable.isReadable(missing, [])).toBe(false)
    const held = await writeJson(store, { here: true })
    expect(await readable.isReported(held, [missing], 1000)).toBe(false)
    expect(await readable.isReported(held, [], 1000)).toBe(true)
  })
})
