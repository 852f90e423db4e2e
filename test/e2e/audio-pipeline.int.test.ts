import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  catalogue,
  type Cid,
  parsePipelineDocument,
  readBytes,
  readJson,
  readManifest,
  type Store,
} from '../../core/domain/index.ts'
import { decodeNpy } from '../../tasks/npy/index.ts'
import { implementations } from '../../tasks/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'
import { startInProcess, type InProcess } from '../harness/in-process.ts'
import { serveArcticZips } from '../support/zip-server.ts'

// The seed's pipeline through the real engine, real tasks and the real embedded store.
const SPEAKERS = ['sus', 'ssc', 'sf3'].map((s) => `cmu_us_${s}_arctic-0.90-release.zip`)
let dir: string
let store: Store
let env: InProcess
let zips: Awaited<ReturnType<typeof serveArcticZips>>

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'banzai-audio-'))
  store = await createEmbeddedStore({ dir: join(dir, 'store') })
  zips = await serveArcticZips()
  env = startInProcess({
    dir,
    store,
    implementations,
    workers: 2,
    slots: 1,
    settings: { leaseMs: 10_000, shardSize: 10 },
  })
})
afterAll(async () => {
  await env.stop()
  await zips.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A small .npy reader written apart from tasks/npy: NumPy format 1.0, '<f4', C order. */
function parseNpyIndependently(bytes: Uint8Array): { shape: number[]; data: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  expect([...bytes.subarray(0, 6)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]) // \x93NUMPY
  expect([bytes[6], bytes[7]]).toEqual([1, 0])
  const headerLength = view.getUint16(8, true)
  const header = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + headerLength))
  expect((10 + headerLength) % 64).toBe(0)
  expect(header).toMatch(/'descr': '<f4'/)
  expect(header).toMatch(/'fortran_order': False/)
  const shape = /'shape': \((\d+), (\d+)\)/.exec(header)!.slice(1).map(Number)
  const count = shape[0]! * shape[1]!
  expect(bytes.length - 10 - headerLength).toBe(count * 4)
  const data = new Float32Array(count)
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(10 + headerLength + i * 4, true)
  return { shape, data }
}

interface ModelDoc {
  task: string
  labels: string[]
  metrics: { test: { accuracy: number; confusion: number[][] } | { mse: number; baselineMse: number } | null }
  reason?: string
}

const run = async (doc: unknown) => {
  const { id } = await env.monitor.submit(parsePipelineDocument(doc, catalogue))
  await env.waitForEnd([id], 180_000)
  return env.queries.detail(id)
}

describe('the audio pipeline, end to end', () => {
  test('FETCH_FESTVOX (3 speakers over HTTP) → FILTER_LONGER(2) → EXTRACT_MFCC → LEARN reaches ≥ 90 % held-out accuracy', async () => {
    const detail = await run([
      { call: 'FETCH_FESTVOX', args: SPEAKERS.map((z) => `${zips.url}/${z}`) },
      { call: 'FILTER_LONGER', args: [2] },
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
      { call: 'LEARN', args: [] },
    ])
    expect(detail.status, detail.error ?? '').toBe('succeeded')
    const fetched = await readManifest(store, detail.tasks[0]!.output)
    expect(fetched.items).toHaveLength(60)
    const filtered = await readManifest(store, detail.tasks[1]!.output)
    expect(filtered.items).toHaveLength(51)
    const mfcc = await readManifest(store, detail.tasks[2]!.output)
    expect(detail.tasks[2]!.shards.total).toBe(6)
    expect(mfcc.items.map((i) => i.id)).toEqual(filtered.items.map((i) => i.id))
    const first = mfcc.items[0]!
    const bytes = await readBytes(store, first.mfcc!)
    const independent = parseNpyIndependently(bytes)
    expect(independent.shape).toEqual([first.frames, 24])
    expect(decodeNpy(bytes).data).toEqual(independent.data)
    expect(independent.data.every(Number.isFinite)).toBe(true)
    const model = (await readJson(store, detail.output!)) as ModelDoc
    expect(model.task).toBe('classifier')
    expect(model.labels.sort()).toEqual(['sf3', 'ssc', 'sus'])
    expect(
      model.metrics.test && 'accuracy' in model.metrics.test ? model.metrics.test.accuracy : 0,
    ).toBeGreaterThanOrEqual(0.9)
  })

  test('a rerun revalidates the zips (external) and every other step is a cache hit', async () => {
    const detail = await run([
      { call: 'FETCH_FESTVOX', args: SPEAKERS.map((z) => `${zips.url}/${z}`) },
      { call: 'FILTER_LONGER', args: [2] },
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
      { call: 'LEARN', args: [] },
    ])
    expect(detail.status).toBe('succeeded')
    expect(detail.tasks.map((t) => t.cacheHit)).toEqual([false, true, true, true])
  })

  test('a dataset sharing 40 of its 60 WAVs with an earlier one computes exactly 20 MFCCs', async () => {
    // Another parameter set (nfft 1024) than the runs above, so nothing is memoized yet: the first
    // run computes sus + ssc (40 items), the second sus + ssc + sf3 and must compute only sf3's 20.
    const a = await run([
      { call: 'FETCH_FESTVOX', args: [`${zips.url}/${SPEAKERS[0]}`, `${zips.url}/${SPEAKERS[1]}`] },
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000, { nfft: 1024 }] },
    ])
    expect(a.status).toBe('succeeded')
    const b = await run([
      { call: 'FETCH_FESTVOX', args: SPEAKERS.map((z) => `${zips.url}/${z}`) },
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000, { nfft: 1024 }] },
    ])
    expect(b.status).toBe('succeeded')
    const events = env.queries.events(b.id, 0, 1000).events
    const stats = events.flatMap((e) =>
      e.type === 'UnitSucceeded' && e.data.step === 1 ? [e.data.stats] : [],
    )
    expect(stats.reduce((n, s) => n + (s.computed ?? 0), 0)).toBe(20)
    expect(stats.reduce((n, s) => n + (s.reused ?? 0), 0)).toBe(40)
  })

  test('one speaker trains an autoencoder that beats the predict-the-mean baseline', async () => {
    const detail = await run([
      { call: 'FETCH_FESTVOX', args: [`${zips.url}/${SPEAKERS[0]}`] },
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
      { call: 'LEARN', args: [] },
    ])
    expect(detail.status, detail.error ?? '').toBe('succeeded')
    const model = (await readJson(store, detail.output as Cid)) as ModelDoc
    expect(model.task).toBe('autoencoder')
    const test = model.metrics.test as { mse: number; baselineMse: number }
    expect(test.mse).toBeLessThan(test.baselineMse)
  })

  test('cmu_us_test_arctic with FILTER_LONGER(5) keeps two items and completes with test: null and the reason', async () => {
    const detail = await run([
      { call: 'FETCH_FESTVOX', args: [`${zips.url}/cmu_us_test_arctic-0.90-release.zip`] },
      { call: 'FILTER_LONGER', args: [5] },
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
      { call: 'LEARN', args: [] },
    ])
    expect(detail.status, detail.error ?? '').toBe('succeeded')
    expect((await readManifest(store, detail.tasks[1]!.output)).items).toHaveLength(2)
    const model = (await readJson(store, detail.output as Cid)) as ModelDoc
    expect(model.metrics.test).toBeNull()
    expect(model.reason).toMatch(/utterance/)
  })
})
