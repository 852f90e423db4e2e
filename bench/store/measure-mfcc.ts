import { benchTaskContext } from '../support/task-context.ts'
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Cid,
  DATASET_KIND,
  type DatasetItem,
  type Store,
  type TaskContext,
} from '../../core/domain/index.ts'
import { argsSchema, catalogue, declarations } from '../../core/domain/index.ts'
import { readBytes, writeJson } from '../../tasks/documents.ts'
import { computeWavMfcc, extractMfcc, parseMfccArgs } from '../../tasks/mfcc/index.ts'
import { encodeNpy } from '../../tasks/npy/index.ts'
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
  /**
   * CPU ms per item of the store work alone, measured directly: the same shard run with the
   * MFCCs already computed (WAV read from the store, .npy put, shard manifest, flush).
   */
  storeCpuMsPerItem: number
  /** CPU ms per item of the task run minus the engine alone (noisier: two passes subtracted). */
  taskMinusEngineCpuMsPerItem: number
}

/** A batch-synced embedded store in `dir` holding `wavs`, and the dataset manifest listing them. */
async function storeWavs(
  dir: string,
  wavs: Buffer[],
): Promise<{ store: Store; input: Cid; items: DatasetItem[] }> {
  const store = await createEmbeddedStore({ dir, sync: 'batch' })
  const items: DatasetItem[] = []
  for (const [i, wav] of wavs.entries()) {
    const info = parseWavHeader(wav)
    const { cid } = await store.put(wav)
    const utterance = `u${String(i).padStart(5, '0')}`
    items.push({ id: `spk/${utterance}`, speaker: 'spk', utterance, audio: cid, ...info })
  }
  const input = await writeJson(store, { kind: DATASET_KIND, sources: [], items })
  await store.flush()
  return { store, input, items }
}

/** A TaskContext as the worker host builds it for one EXTRACT_MFCC shard over `input`. */
function shardContext(store: Store, input: Cid, dataDir: string): TaskContext {
  const version = catalogue.get('EXTRACT_MFCC')?.version ?? 1
  return benchTaskContext(store, { call: 'EXTRACT_MFCC', version, args: ARGS, input, step: 2 }, { dataDir })
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/** Runs EXTRACT_MFCC as a worker runs a shard (runPerItem over a manifest, batch-synced store) on `wavPaths`. */
export async function measureMfcc(wavPaths: string[]): Promise<MfccFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'banzai-bench-mfcc-'))
  try {
    const wavs = await Promise.all(wavPaths.map((p) => readFile(p)))
    const decl = catalogue.get('EXTRACT_MFCC')
    if (!decl || extractMfcc.kind !== 'perItem') throw new Error('EXTRACT_MFCC is a perItem task')
    const params = parseMfccArgs(ARGS)
    const task = await storeWavs(join(dir, 'task'), wavs)
    const engine0 = cpuSeconds()
    const computed = new Map<string, { npy: Uint8Array; frames: number }>()
    for (const [i, wav] of wavs.entries()) {
      const mfcc = await computeWavMfcc(wav, params)
      computed.set(task.items[i]!.audio, {
        npy: encodeNpy(mfcc.data, [mfcc.frames, mfcc.numcep]),
        frames: mfcc.frames,
      })
    }
    const engineCpu = cpuSeconds() - engine0
    const audioSeconds = task.items.reduce((s, item) => s + (item.seconds ?? 0), 0)

    // The store's work alone: the same shard in a fresh store, the MFCCs taken from the pass above.
    const bare = await storeWavs(join(dir, 'store-only'), wavs)
    const store0 = cpuSeconds()
    await runPerItem(
      async (item, c) => {
        await readBytes(c.store, item.audio, 2 ** 31 - 1)
        const { npy, frames } = computed.get(item.audio)!
        const { cid } = await c.store.put(npy)
        return { fields: { mfcc: cid, frames }, refs: [cid] }
      },
      decl,
      shardContext(bare.store, bare.input, join(dir, 'store-only')),
    )
    await bare.store.flush()
    const storeCpu = cpuSeconds() - store0
    await bare.store.close()

    const task0 = cpuSeconds()
    const typed = argsSchema(declarations.EXTRACT_MFCC).parse(ARGS)
    await runPerItem(
      (item, c) => extractMfcc.runItem(item, typed, c),
      decl,
      shardContext(task.store, task.input, join(dir, 'task')),
    )
    await task.store.flush()
    const taskCpu = cpuSeconds() - task0
    await task.store.close()
    return {
      items: task.items.length,
      audioSeconds,
      taskSpeed: audioSeconds / taskCpu,
      engineSpeed: audioSeconds / engineCpu,
      storeCpuMsPerItem: (storeCpu * 1000) / task.items.length,
      taskMinusEngineCpuMsPerItem: ((taskCpu - engineCpu) * 1000) / task.items.length,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
