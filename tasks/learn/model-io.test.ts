import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LEARN_OPTIONS } from './options.ts'
import { encodeModelJson, exportModel, loadModel } from './model-io.ts'
import { makeSyntheticRecordings } from './test-support/synthetic.ts'
import { trainOnFeatures } from './train.ts'

describe('model files', () => {
  it('load back with tf.loadLayersModel(tf.io.fromMemory(...)) and predict exactly the same', async () => {
    const recordings = makeSyntheticRecordings({
      speakers: ['a', 'b'],
      utterances: 6,
      frames: 20,
      numcep: 8,
      seed: 3,
    })
    const outcome = await trainOnFeatures(recordings, { ...DEFAULT_LEARN_OPTIONS, epochs: 1, hidden: 16 })
    const exported = await exportModel(outcome.model)
    const modelJson = encodeModelJson(exported.artifacts, 'bafkreiweights')
    const parsed = JSON.parse(new TextDecoder().decode(modelJson)) as tf.io.ModelJSON
    expect(parsed.format).toBe('layers-model')
    expect(parsed.weightsManifest).toEqual([
      { paths: ['bafkreiweights'], weights: exported.artifacts.weightSpecs },
    ])
    // 8 × 7 inputs → 16 → 16 → 2, float32: (56·16 + 16 + 16·16 + 16 + 16·2 + 2) · 4 bytes.
    expect(exported.weights.length).toBe((56 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2) * 4)

    const loaded = await loadModel(modelJson, exported.weights)
    const input = tf.randomNormal([5, 56], 0, 1, 'float32', 42)
    const before = (outcome.model.predict(input) as tf.Tensor).arraySync()
    const after = (loaded.predict(input) as tf.Tensor).arraySync()
    expect(after).toEqual(before)
    // The same model saved twice is the same bytes: model.json is content-addressed.
    expect(encodeModelJson((await exportModel(loaded)).artifacts, 'bafkreiweights')).toEqual(modelJson)
    input.dispose()
    loaded.dispose()
    outcome.model.dispose()
  })
})
