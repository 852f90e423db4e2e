import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { z } from 'zod'

/** Test vectors of `fixtures/cid/cid-vectors.json`: blobs and the CIDs `ipfs add` gives them. */
export const CidVectors = z.object({
  how: z.string(),
  pattern: z.string(),
  vectors: z.array(
    z.object({ name: z.string(), bytes: z.number().int().min(0), content: z.string(), cid: z.string() }),
  ),
})
export type CidVectors = z.infer<typeof CidVectors>
/** One vector: a blob described by name, length and content, and its expected CID. */
export type CidVector = CidVectors['vectors'][number]

/** Reads the CID vectors fixture (path relative to this folder). */
export async function readCidVectors(): Promise<CidVectors> {
  const url = new URL('../../fixtures/cid/cid-vectors.json', import.meta.url)
  return CidVectors.parse(JSON.parse(await readFile(url, 'utf8')))
}

/** Pattern period: byte i of a patterned blob is (i * 7 + 3) mod 251. */
const PERIOD = 251

/** Streams `size` bytes of the vectors' pattern in pieces of `pieceSize` (default 1 MiB), never all at once. */
export function* patternedBytes(size: number, pieceSize = 1_048_576, start = 0): Generator<Uint8Array> {
  for (let at = start; at < start + size; at += pieceSize) {
    const length = Math.min(pieceSize, start + size - at)
    const piece = new Uint8Array(length)
    for (let i = 0; i < length; i++) piece[i] = ((at + i) * 7 + 3) % PERIOD
    yield piece
  }
}

/** The bytes a vector describes: empty, `hello world\n`, or patterned (streamed). */
export function vectorContent(vector: CidVector): Iterable<Uint8Array> {
  if (vector.content === 'empty') return []
  if (vector.content.includes('hello world')) return [new TextEncoder().encode('hello world\n')]
  if (vector.content === 'patterned') return patternedBytes(vector.bytes)
  throw new Error(`unknown vector content ${JSON.stringify(vector.content)}`)
}

/** sha-256 (hex) and length of a stream of chunks, consumed as it comes. */
export async function digestStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<{ sha256: string; bytes: number; chunks: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  let count = 0
  for await (const chunk of chunks) {
    hash.update(chunk)
    bytes += chunk.byteLength
    count++
  }
  return { sha256: hash.digest('hex'), bytes, chunks: count }
}
