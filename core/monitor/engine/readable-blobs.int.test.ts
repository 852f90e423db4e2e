import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { writeJson } from '../../domain/index.ts'
import { createEmbeddedStore } from '../../../transport/store/index.ts'
import { ReadableBlobs } from './readable-blobs.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function realStore(): ReturnType<typeof createEmbeddedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'banzai-readable-'))
  dirs.push(dir)
  return createEmbeddedStore({ dir })
}

describe('ReadableBlobs: outputs checked once, forgotten on deletion', () => {
  test('a remembered output is known with its refs; a deletion through the store forgets every one', async () => {
    const store = await realStore()
    const readable = new ReadableBlobs(store)
    const engineStore = readable.forgetfulStore()
    const item = await writeJson(store, { a: 1 })
    const doc = await writeJson(store, { b: 2 })
    expect(readable.isKnown(doc, [])).toBe(false)
    readable.remember(doc, [item])
    expect(readable.isKnown(doc, [])).toBe(true)
    expect(readable.isKnown(doc, [item])).toBe(true)
    await engineStore.delete(item)
    expect(readable.isKnown(doc, [])).toBe(false)
    expect(await engineStore.has(item)).toBe(false)
  })

  test('an output is known only with refs that were checked too', async () => {
    const store = await realStore()
    const readable = new ReadableBlobs(store)
    const doc = await writeJson(store, { here: true })
    const other = await writeJson(store, { other: true })
    readable.remember(doc, [])
    expect(readable.isKnown(doc, [other])).toBe(false)
  })
})
