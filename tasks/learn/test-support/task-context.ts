import {
  type DatasetManifest,
  type LogLine,
  type PipelineId,
  PROTOCOL_VERSION,
  type Store,
  type TaskContext,
  makeOrderId,
} from '../../../core/domain/index.ts'
import { writeJson } from '../../documents.ts'
import { encodeNpy } from '../../npy/index.ts'
import type { FeatureRecording } from '../train.ts'

/** A TaskContext over a store that records progress and log lines. */
export function makeTaskContext(store: Store, args: unknown[], signal = new AbortController().signal) {
  const progress: { done: number; total: number; unit: string }[] = []
  const logs: { level: LogLine['level']; msg: string }[] = []
  const unit = { pipelineId: 'p1' as PipelineId, step: 3, shard: 0, attempt: 1 }
  const log = (level: LogLine['level']) => (msg: string) => logs.push({ level, msg })
  const ctx: TaskContext = {
    store,
    signal,
    progress: (done, total, unitName) => progress.push({ done, total, unit: unitName }),
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    order: {
      type: 'TaskOrder',
      v: PROTOCOL_VERSION,
      orderId: makeOrderId(unit),
      ...unit,
      call: 'LEARN',
      version: 1,
      args,
      input: null,
      deadline: '2030-01-01T00:00:00.000Z',
    },
    settings: { dataDir: '.', allowedRoots: [], workerId: 'w1' },
  }
  return { ctx, progress, logs }
}

/** Stores each recording's MFCCs as a .npy blob (and a stand-in WAV) and returns the manifest's CID. */
export async function storeDataset(
  store: Store,
  recordings: readonly FeatureRecording[],
  withMfcc = true,
): Promise<DatasetManifest> {
  const zip = await store.put(new TextEncoder().encode('not really a zip'))
  const items: DatasetManifest['items'] = []
  for (const r of recordings) {
    const audio = await store.put(new TextEncoder().encode(`RIFF ${r.id}`))
    const mfcc = withMfcc
      ? (await store.put(encodeNpy(r.mfcc.data, [r.mfcc.rows, r.mfcc.cols]))).cid
      : undefined
    const samples = 160 * (r.mfcc.rows + 1) + 240
    items.push({
      id: r.id,
      speaker: r.speaker,
      utterance: r.utterance,
      audio: audio.cid,
      sampleRate: 16_000,
      channels: 1,
      samples,
      seconds: samples / 16_000,
      ...(mfcc ? { mfcc, frames: r.mfcc.rows } : {}),
    })
  }
  return {
    kind: 'banzai.dataset/1',
    sources: [{ url: 'file:///fixtures/x.zip', cid: zip.cid, skipped: [] }],
    items,
  }
}

/** Writes a manifest and returns its CID. */
export const storeManifest = writeJson
