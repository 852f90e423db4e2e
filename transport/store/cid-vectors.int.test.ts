import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../core/domain/index.ts'
import { createEmbeddedStore } from './index.ts'
import { digestStream, readCidVectors, vectorContent } from './patterned-bytes.ts'

// The vectors (agreed by two independent implementations) are checked with no IPFS daemon:
// each blob is generated as a stream, put, and read back.
const { vectors } = await readCidVectors()

describe('CID vectors, embedded store', () => {
  let dir: string
  let store: Store

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'banzai-vectors-'))
    store = await createEmbeddedStore({ dir })
  })
  afterAll(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const put = await store.put(vectorContent(vector))
    expect(put).toEqual({ cid: vector.cid, size: vector.bytes })
    const expected = await digestStream(vectorContent(vector))
    const read = await digestStream(store.get(put.cid))
    expect(read.bytes).toBe(vector.bytes)
    expect(read.sha256).toBe(expected.sha256)
  })
})
