// Benchmark (not a test): garbage collection of many unreferenced small blobs (issue 15: gc was
// quadratic, each delete re-reading every root). For 5k, 10k and 20k tiny blobs no pipeline
// references, plus a few multi-block blobs that stay, on the embedded store: the offline
// collection (`collectGarbage`, one deleteMany) and the collection through a running monitor
// (`Monitor.collectGarbage`: sweeps of 1,000 blobs between ticks). Writes bench/results/gc.json and .md.
// Usage: node --import tsx bench/gc/run.ts [--quick]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { collectGarbage, openDatabase } from '../../core/monitor/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'
import { startInProcess } from '../../test/harness/in-process.ts'

const quick = process.argv.includes('--quick')
const SIZES = quick ? [2_000, 4_000] : [5_000, 10_000, 20_000]
/** Multi-block blobs (1 MiB each, 4 blocks) that no pipeline references either. */
const BIG = 4

async function fill(dir: string, n: number): Promise<void> {
  const store = await createEmbeddedStore({ dir, sync: 'batch' })
  for (let i = 0; i < n; i++) await store.put(new TextEncoder().encode(`unreferenced blob ${i}\n`))
  for (let i = 0; i < BIG; i++) await store.put(new Uint8Array(1 << 20).fill(i + 1))
  await store.close()
}

const rows: { blobs: number; way: 'offline' | 'monitor'; ms: number; msPer1000: number; removed: number }[] =
  []
for (const n of SIZES) {
  for (const way of ['offline', 'monitor'] as const) {
    const root = mkdtempSync(join(tmpdir(), 'banzai-bench-gc-'))
    await fill(join(root, 'store'), n)
    const store = await createEmbeddedStore({ dir: join(root, 'store') })
    let removed: number
    const started = performance.now()
    if (way === 'offline') {
      const db = openDatabase(join(root, 'banzai.db'))
      removed = (await collectGarbage(db, store)).removed
      db.close()
    } else {
      const env = startInProcess({ dir: root, store, workers: 0 })
      removed = (await env.monitor.collectGarbage()).removed
      await env.stop()
    }
    const ms = performance.now() - started
    let left = 0
    for await (const _cid of store.list()) left++
    await store.close()
    rmSync(root, { recursive: true, force: true })
    if (removed !== n + BIG || left !== 0)
      throw new Error(`${way} gc of ${n}: removed ${removed}, ${left} left`)
    rows.push({
      blobs: n + BIG,
      way,
      ms: Math.round(ms),
      msPer1000: Math.round((ms / (n + BIG)) * 1000),
      removed,
    })
    console.log(`${way} gc of ${n + BIG} unreferenced blobs: ${ms.toFixed(0)} ms`)
  }
}

const load = loadavg()[0]!.toFixed(1)
const dir = new URL('../results/', import.meta.url)
writeFileSync(new URL('gc.json', dir), JSON.stringify({ quick, load, rows }, null, 2) + '\n')
const lines = [
  '## Garbage collection (issue 15)',
  '',
  `Re-run: \`node --import tsx bench/gc/run.ts\`. Machine: 2 cores shared with other sessions; load average ${load} at the end.`,
  '',
  `Tiny blobs that no pipeline references (plus ${BIG} multi-block blobs of 1 MiB), all removed, on the embedded store. *offline*: \`banzai gc\` with no monitor (one \`deleteMany\`); *monitor*: \`POST /api/gc\` through a running monitor (mark between two ticks, sweeps of 1,000 blobs between ticks). Linear means a constant ms per 1,000 blobs.`,
  '',
  'Before these changes (the code of the branch point, the same script, load average ~11): offline 2,799 / 8,492 / 34,568 ms and through the monitor 3,147 / 11,831 / 60,836 ms at 5k / 10k / 20k blobs, that is 629 → 3,041 ms per 1,000 blobs through the monitor (each sweep batch re-read every root record).',
  '',
  '| blobs | way | ms | ms per 1,000 blobs |',
  '|---:|---|---:|---:|',
  ...rows.map((r) => `| ${r.blobs} | ${r.way} | ${r.ms} | ${r.msPer1000} |`),
  '',
]
writeFileSync(new URL('gc.md', dir), lines.join('\n'))
