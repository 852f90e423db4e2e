import type { DatasetManifest, Store } from '../../../core/domain/index.ts'
import { encodeNpy } from '../../npy/index.ts'
import type { FeatureRecording } from '../train.ts'

/** Stores each recording's MFCCs as a .npy blob (and a stand-in WAV) and returns the manifest, not yet stored. */
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
