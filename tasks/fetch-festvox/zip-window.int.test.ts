import { mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ZipWindowReader } from './zip-window.ts'

const MIB = 1 << 20
/** A file of 3.5 MiB whose every byte says where it is (position mod 251). */
const SIZE = 3.5 * MIB
const expected = (from: number, length: number): Buffer =>
  Buffer.from(Array.from({ length }, (_, k) => (from + k) % 251))

describe('ZipWindowReader: reads served from 1 MiB windows', () => {
  let dir: string
  let path: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'banzai-window-'))
    path = join(dir, 'data.bin')
    await writeFile(path, expected(0, SIZE))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('gives the exact bytes of small, straddling and large reads, and fewer only at the end', async () => {
    const file = await open(path, 'r')
    try {
      const reader = new ZipWindowReader(file)
      const reads: [number, number][] = [
        [0, 30],
        [30, 1000],
        [MIB - 10, 20], // straddles the first window: a new one starts there
        [SIZE - 100, 30], // a window near the end (shorter than 1 MiB)
        [5, 10], // back to the first window, still kept
        [MIB, 0.75 * MIB], // larger than half a window: read directly
      ]
      for (const [from, length] of reads)
        expect((await reader.readAt(from, length)).equals(expected(from, length)), `${from}+${length}`).toBe(
          true,
        )
      expect((await reader.readAt(SIZE - 10, 30)).equals(expected(SIZE - 10, 10))).toBe(true)
      expect((await reader.readAt(SIZE + 5, 30)).length).toBe(0)
      // Reads in flight together share windows and still get their own bytes.
      const together = await Promise.all(
        Array.from({ length: 50 }, (_, k) => reader.readAt(2 * MIB + k * 997, 500)),
      )
      together.forEach((bytes, k) => expect(bytes.equals(expected(2 * MIB + k * 997, 500))).toBe(true))
    } finally {
      await file.close()
    }
  })

  it("speaks yauzl's read(): the count read is passed on, short at the end", async () => {
    const file = await open(path, 'r')
    try {
      const reader = new ZipWindowReader(file)
      const buffer = Buffer.alloc(64)
      const count = await new Promise<number | undefined>((resolve, reject) => {
        const done = (error: Error | null, bytesRead?: number): void =>
          error ? reject(error) : resolve(bytesRead)
        reader.read(buffer, 4, 60, SIZE - 20, done)
      })
      expect(count).toBe(20)
      expect(buffer.subarray(4, 24).equals(expected(SIZE - 20, 20))).toBe(true)
    } finally {
      await file.close()
    }
  })
})
