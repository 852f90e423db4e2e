import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import yauzl from 'yauzl'

/** What the least work FETCH could do costs on this machine (one thread, no store). */
export interface FloorFigures {
  zipBytes: number
  /** Uncompressed bytes of every entry. */
  entryBytes: number
  /** Read + SHA-256 + write of the zip bytes into one file, then one fsync: seconds. */
  copySeconds: number
  copyCpuSeconds: number
  /**
   * The copy, plus inflating every entry and SHA-256 + write of the entry bytes into a second
   * file, then fsync: what FETCH must do at least (store the zip and every WAV), seconds.
   */
  extractSeconds: number
  extractCpuSeconds: number
}

const CHUNK = 1 << 20

async function timed(work: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await work()
  const cpu = process.cpuUsage(cpu0)
  return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 }
}

/** Copies `zip` into `out` in 1 MiB chunks while hashing them. */
async function copyHashed(zip: string, out: string): Promise<void> {
  const handle = await open(out, 'w')
  const hash = createHash('sha256')
  try {
    for await (const chunk of createReadStream(zip, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
      hash.update(chunk)
      await handle.write(chunk)
    }
    await handle.sync()
  } finally {
    await handle.close()
  }
  hash.digest()
}

/** Inflates every entry of `zip` (positioned reads), hashing each and appending it to `out`. */
async function extractHashed(zip: string, out: string): Promise<number> {
  const archive = await yauzl.openPromise(zip, { lazyEntries: true, autoClose: false })
  const source = await open(zip, 'r')
  const handle = await open(out, 'w')
  let bytes = 0
  try {
    for await (const entry of archive.eachEntry()) {
      const { fileDataStart } = await archive.readLocalFileHeaderPromise(entry, { minimal: true })
      const stored = Buffer.allocUnsafe(entry.compressedSize)
      await source.read(stored, 0, stored.length, fileDataStart)
      const data = entry.compressionMethod === 0 ? stored : inflateRawSync(stored)
      createHash('sha256').update(data).digest()
      await handle.write(data)
      bytes += data.length
    }
    await handle.sync()
  } finally {
    archive.close()
    await source.close()
    await handle.close()
  }
  return bytes
}

/**
 * The floor under FETCH_FESTVOX for these zips: the same bytes read, hashed and written with
 * no store, no per-file costs and no concurrency, made durable by one fsync per output file.
 */
export async function measureFloor(zips: string[], zipBytes: number): Promise<FloorFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'banzai-bench-floor-'))
  try {
    const copy = await timed(async () => {
      for (const [k, zip] of zips.entries()) await copyHashed(zip, join(dir, `copy-${k}`))
    })
    for (const k of zips.keys()) await rm(join(dir, `copy-${k}`))
    let entryBytes = 0
    const extract = await timed(async () => {
      for (const [k, zip] of zips.entries()) {
        await copyHashed(zip, join(dir, `zip-${k}`))
        entryBytes += await extractHashed(zip, join(dir, `entries-${k}`))
      }
    })
    return {
      zipBytes,
      entryBytes,
      copySeconds: copy.wall,
      copyCpuSeconds: copy.cpu,
      extractSeconds: extract.wall,
      extractCpuSeconds: extract.cpu,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
