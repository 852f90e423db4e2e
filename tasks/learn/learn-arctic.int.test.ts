import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ArgsOf } from '../../core/domain/index.ts'
import { makeTaskContext } from '../../test/support/task-context.ts'
import { createMemoryStore } from '../../transport/memory/index.ts'
import { readJson, writeJson } from '../documents.ts'
import { decodeNpy } from '../npy/index.ts'
import { LearnModelDocument, learn } from './index.ts'
import { storeDataset } from './test-support/store-dataset.ts'
import type { FeatureRecording } from './train.ts'

const folder = fileURLToPath(new URL('../../fixtures/learn/arctic-mfcc/', import.meta.url))

/** The fixture MFCCs: 3 speakers × prompts a0001–a0010, 120 frames × 24 coefficients each. */
function readFixtures(): FeatureRecording[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.npy'))
    .sort()
    .map((name) => {
      const [speaker = '', ...rest] = name.slice(0, -'.npy'.length).split('_')
      const { data, shape } = decodeNpy(new Uint8Array(readFileSync(`${folder}${name}`)))
      const mfcc = { data, rows: shape[0] ?? 0, cols: shape[1] ?? 0 }
      return { id: `${speaker}/${rest.join('_')}`, speaker, utterance: rest.join('_'), mfcc }
    })
}

async function runLearn(recordings: FeatureRecording[], args: ArgsOf<'LEARN'>): Promise<LearnModelDocument> {
  if (learn.kind !== 'whole') throw new Error('LEARN is a whole-input task')
  const store = createMemoryStore()
  const input = await writeJson(store, await storeDataset(store, recordings))
  const result = await learn.run(input, args, makeTaskContext('LEARN', { store, args }))
  return LearnModelDocument.parse(await readJson(store, result.output))
}

describe('LEARN on real MFCCs of the ARCTIC fixtures', () => {
  const recordings = readFixtures()

  it('has the fixtures it expects', () => {
    expect(recordings).toHaveLength(30)
    expect(new Set(recordings.map((r) => r.mfcc.cols))).toEqual(new Set([24]))
  })

  it('recognises the speaker of every held-out prompt with the default options', async () => {
    const document = await runLearn(recordings, [])
    expect(document.task).toBe('classifier')
    expect(document.split).toEqual({ train: 6, validation: 2, test: 2 })
    // Seeds 1–5 all give 6/6 recordings right; single frames are right 76–82% of the time,
    // so 0.65 leaves room for another backend's rounding without hiding a broken model (1/3 is chance).
    const test = document.metrics.test
    expect(test).toMatchObject({ accuracy: 1, recordings: 6 })
    expect(test && 'frameAccuracy' in test ? test.frameAccuracy : 0).toBeGreaterThan(0.65)
  })

  it('trains a frame autoencoder for one speaker that beats predicting the training mean', async () => {
    const document = await runLearn(
      recordings.filter((r) => r.speaker === 'sus'),
      [],
    )
    expect(document.task).toBe('autoencoder')
    const test = document.metrics.test
    if (test === null || !('mse' in test))
      throw new Error(`expected autoencoder metrics, got ${JSON.stringify(test)}`)
    // Seeds 1–5: mse = 0.26–0.39 × baseline (720 training frames, 60 steps); the baseline is ≈ 1.
    expect(test.mse).toBeLessThan(0.5 * test.baselineMse)
  })
})
