import { importer } from 'ipfs-unixfs-importer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Cid, Store } from '../../core/domain/index.ts'
import { asCid } from '../../core/domain/index.ts'
import { importerOptions } from './cid-params.ts'
import { digestStream, patternedBytes } from './patterned-bytes.ts'

const HELLO = new TextEncoder().encode('hello world\n')
const HELLO_CID = 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4'
const EMPTY_CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'
const CHUNK = 262_144
/** 1 MiB + 1 byte: four full chunks and a one-byte leaf, so a two-level DAG. */
const MULTI = 1_048_577

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts))
}

/** Byte-for-byte comparison; vitest's deep equality is slow on megabytes. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  expect(actual.byteLength, `${what}: length`).toBe(expected.byteLength)
  expect(Buffer.from(actual).equals(expected), `${what}: content`).toBe(true)
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) parts.push(chunk)
  return concat(parts)
}

async function* slowly(pieces: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    await new Promise((resolve) => setImmediate(resolve))
    yield piece
  }
}

/** The CID of bytes, computed without any store (blocks go nowhere). */
async function cidOf(bytes: Uint8Array): Promise<Cid> {
  let root = ''
  for await (const entry of importer([{ content: bytes }], { put: async (cid) => cid }, importerOptions()))
    root = entry.cid.toString()
  return asCid(root)
}

async function listAll(store: Store): Promise<Cid[]> {
  const out: Cid[] = []
  for await (const cid of store.list()) out.push(cid)
  return out
}

/**
 * The contract every Store implementation passes (SPEC §4): one suite, run by each
 * implementation's test file with a factory giving a fresh, empty store.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    const multi = concat([...patternedBytes(MULTI)])

    beforeAll(async () => {
      store = await makeStore()
    })
    afterAll(async () => {
      await store.close()
    })

    it('puts bytes and gets them back under the CID of ipfs add', async () => {
      const put = await store.put(HELLO)
      expect(put).toEqual({ cid: HELLO_CID, size: 12 })
      expectSameBytes(await collect(store.get(put.cid)), HELLO)
      expect(await store.has(put.cid)).toBe(true)
      expect(await store.stat(put.cid)).toEqual({ cid: HELLO_CID, size: 12, pinned: false })
    })

    it('stores the empty blob', async () => {
      const put = await store.put(new Uint8Array(0))
      expect(put).toEqual({ cid: EMPTY_CID, size: 0 })
      expect((await collect(store.get(put.cid))).byteLength).toBe(0)
      expect(await store.has(put.cid)).toBe(true)
      expect((await store.stat(put.cid))?.size).toBe(0)
    })

    it('streams a multi-chunk blob in from an async iterable and out in chunks', async () => {
      const put = await store.put(slowly(patternedBytes(MULTI, 100_000)))
      expect(put).toEqual({ cid: await cidOf(multi), size: MULTI })
      const out = await digestStream(store.get(put.cid))
      expect(out).toMatchObject({ bytes: MULTI, sha256: (await digestStream([multi])).sha256 })
      expect(out.chunks).toBeGreaterThanOrEqual(5)
      expect((await store.stat(put.cid))?.size).toBe(MULTI)
    })

    it('takes a sync iterable and a whole Uint8Array alike', async () => {
      const fromIterable = await store.put(patternedBytes(MULTI, 65_536))
      const fromBytes = await store.put(multi)
      expect(fromIterable).toEqual(fromBytes)
    })

    it('serves byte ranges, clipped at the end', async () => {
      const { cid } = await store.put(multi)
      const cases: Array<[number, number | undefined]> = [
        [0, 10],
        [CHUNK - 5, 10],
        [CHUNK * 2, CHUNK],
        [MULTI - 1, 1],
        [MULTI - 1, undefined],
        [3 * CHUNK + 7, undefined],
        [MULTI - 3, 100],
        [17, 0],
      ]
      for (const [offset, length] of cases) {
        const range = length === undefined ? { offset } : { offset, length }
        const expected = multi.subarray(offset, length === undefined ? undefined : offset + length)
        expectSameBytes(await collect(store.get(cid, range)), expected, `range ${offset}+${String(length)}`)
      }
      expect((await collect(store.get(cid, { offset: MULTI + 10 }))).byteLength).toBe(0)
      await expect(collect(store.get(cid, { offset: -1 }))).rejects.toMatchObject({ code: 'invalid_input' })
    })

    it('answers for an unknown CID: get throws NotFoundError, has false, stat null', async () => {
      const unknown = await cidOf(new TextEncoder().encode(`never stored ${name} ${String(Math.random())}`))
      await expect(collect(store.get(unknown))).rejects.toMatchObject({ code: 'not_found' })
      expect(await store.has(unknown)).toBe(false)
      expect(await store.stat(unknown)).toBeNull()
      await expect(store.pin(unknown)).rejects.toMatchObject({ code: 'not_found' })
      await store.delete(unknown)
    })

    it('keeps 10 concurrent puts of the same bytes consistent', async () => {
      const bytes = concat([...patternedBytes(MULTI, MULTI, 11)])
      const puts = await Promise.all(
        Array.from({ length: 10 }, () => store.put(slowly(patternedBytes(MULTI, 200_000, 11)))),
      )
      const expected = await cidOf(bytes)
      for (const put of puts) expect(put).toEqual({ cid: expected, size: MULTI })
      expectSameBytes(await collect(store.get(expected)), bytes)
      expect((await listAll(store)).filter((cid) => cid === expected)).toHaveLength(1)
    })

    it('flushes: every blob put before flush() is listed and reads back verified; an idle flush resolves', async () => {
      const blobs = Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`${name} flushed ${i}`))
      const puts = await Promise.all(blobs.map((bytes) => store.put(bytes)))
      const big = await store.put(patternedBytes(MULTI, 65_536, 21))
      await store.flush()
      const listed = new Set(await listAll(store))
      for (const [i, put] of puts.entries()) {
        expect(listed.has(put.cid)).toBe(true)
        expectSameBytes(await collect(store.get(put.cid)), blobs[i]!, `blob ${i}`)
      }
      expect(await store.has(big.cid)).toBe(true)
      await store.flush()
    })

    it('lists, pins, unpins and deletes, keeping blocks another blob shares', async () => {
      const shorter = multi.subarray(0, 4 * CHUNK)
      const a = await store.put(shorter)
      const b = await store.put(multi)
      expect(await listAll(store)).toEqual(expect.arrayContaining([a.cid, b.cid]))
      await store.pin(b.cid)
      expect((await store.stat(b.cid))?.pinned).toBe(true)
      await expect(store.delete(b.cid)).rejects.toMatchObject({ code: 'conflict' })
      await store.unpin(b.cid)
      expect((await store.stat(b.cid))?.pinned).toBe(false)
      await store.delete(b.cid)
      expect(await store.has(b.cid)).toBe(false)
      expect(await store.stat(b.cid)).toBeNull()
      expect(await listAll(store)).not.toContain(b.cid)
      await expect(collect(store.get(b.cid))).rejects.toMatchObject({ code: 'not_found' })
      // a shares b's first four leaves: they must survive b's deletion.
      expect(await store.has(a.cid)).toBe(true)
      expectSameBytes(await collect(store.get(a.cid)), shorter)
      await store.delete(b.cid)
    })
  })
}
