import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEmbeddedStore } from '../../transport/store/index.ts'

/** What `count` small puts and the flush after them cost. */
export interface PutFigures {
  sync: 'each' | 'batch'
  count: number
  blobBytes: number
  /** Wall time per put, flush included, ms. */
  wallMsPerItem: number
  /** This process's CPU time (user + system) per put, flush included, ms. */
  cpuMsPerItem: number
  flushMs: number
}

/** A small JSON blob like a per-item document (about `size` bytes), unique per `i`. */
function smallBlob(i: number, size: number): Uint8Array {
  const head = `{"item":${i},"pad":"`
  return Buffer.from(`${head}${'x'.repeat(Math.max(0, size - head.length - 2))}"}`)
}

/** Puts `count` distinct small blobs, one after the other, into a fresh embedded store, then flushes. */
export async function measurePuts(
  sync: 'each' | 'batch',
  count: number,
  blobBytes = 200,
): Promise<PutFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'banzai-bench-puts-'))
  try {
    const store = await createEmbeddedStore({ dir, sync })
    const blobs = Array.from({ length: count }, (_, i) => smallBlob(i, blobBytes))
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    for (const blob of blobs) await store.put(blob)
    const t1 = performance.now()
    await store.flush()
    const t2 = performance.now()
    const cpu = process.cpuUsage(cpu0)
    await store.close()
    return {
      sync,
      count,
      blobBytes,
      wallMsPerItem: (t2 - t0) / count,
      cpuMsPerItem: (cpu.user + cpu.system) / 1000 / count,
      flushMs: t2 - t1,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
