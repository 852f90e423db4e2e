import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DATASET_KIND,
  type DatasetItem,
  makeOrderId,
  PipelineId,
  PROTOCOL_VERSION,
  type TaskContext,
  TaskOrder,
} from '../../core/domain/index.ts'
import { argsSchema, catalogue, declarations } from '../../core/domain/index.ts'
import { writeJson } from '../../tasks/documents.ts'
import { computeWavMfcc, extractMfcc, parseMfccArgs } from '../../tasks/mfcc/index.ts'
import { parseWavHeader } from '../../tasks/wav/index.ts'
import { runPerItem } from '../../tasks/worker/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'

const ARGS = [32, 24, 1, 8000, 16000]

/** EXTRACT_MFCC's speed inside a task run against the engine alone, on the same WAVs in the same process. */
export interface MfccFigures {
  items: number
  audioSeconds: number
  /** Audio seconds per CPU second: read from the store, MFCC, .npy put, shard manifest, flush. */
  taskSpeed: number
  /** Audio seconds per CPU second of computeWavMfcc on WAVs already in memory. */
  engineSpeed: number
  /** CPU ms per item spent outside the engine (store reads and writes, manifest, flush). */
  storeCpuMsPerItem: number
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/** Runs EXTRACT_MFCC as a worker runs a shard (runPerItem over a manifest, batch-synced store) on `wavPaths`. */
export async function measureMfcc(wavPaths: string[]): Promise<MfccFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'banzai-bench-mfcc-'))
  try {
    const store = await createEmbeddedStore({ dir: join(dir, 'store'), sync: 'batch' })
    const wavs = await Promise.all(wavPaths.map((p) => readFile(p)))
    const items: DatasetItem[] = []
    for (const [i, wav] of wavs.entries()) {
      const info = parseWavHeader(wav)
      const { cid } = await store.put(wav)
      const utterance = `u${String(i).padStart(5, '0')}`
      items.push({ id: `spk/${utterance}`, speaker: 'spk', utterance, audio: cid, ...info })
    }
    const input = await writeJson(store, { kind: DATASET_KIND, sources: [], items })
    await store.flush()
    const audioSeconds = items.reduce((s, item) => s + (item.seconds ?? 0), 0)
    const params = parseMfccArgs(ARGS)
    const engine0 = cpuSeconds()
    for (const wav of wavs) await computeWavMfcc(wav, params)
    const engineCpu = cpuSeconds() - engine0

    const unit = { pipelineId: PipelineId.parse('bench-1'), step: 2, shard: 0, attempt: 1 }
    const ctx: TaskContext = {
      store,
      signal: new AbortController().signal,
      progress: () => {},
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      order: TaskOrder.parse({
        type: 'TaskOrder',
        v: PROTOCOL_VERSION,
        orderId: makeOrderId(unit),
        ...unit,
        call: 'EXTRACT_MFCC',
        version: catalogue.get('EXTRACT_MFCC')?.version ?? 1,
        args: ARGS,
        input,
        deadline: '2030-01-01T00:00:00.000Z',
      }),
      settings: { dataDir: dir, allowedRoots: [], workerId: 'bench' },
    }
    const decl = catalogue.get('EXTRACT_MFCC')
    if (!decl || extractMfcc.kind !== 'perItem') throw new Error('EXTRACT_MFCC is a perItem task')
    const task0 = cpuSeconds()
    const args = argsSchema(declarations.EXTRACT_MFCC).parse(ARGS)
    await runPerItem((item, c) => extractMfcc.runItem(item, args, c), decl, ctx)
    await store.flush()
    const taskCpu = cpuSeconds() - task0
    await store.close()
    return {
      items: items.length,
      audioSeconds,
      taskSpeed: audioSeconds / taskCpu,
      engineSpeed: audioSeconds / engineCpu,
      storeCpuMsPerItem: ((taskCpu - engineCpu) * 1000) / items.length,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
