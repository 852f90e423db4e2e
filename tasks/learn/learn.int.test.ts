import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { argsSchema, type Cid, LEARN } from '../../core/domain/index.ts'
import { makeTaskContext } from '../../test/support/task-context.ts'
import { createMemoryStore } from '../../transport/memory/index.ts'
import { documentRefs, readBytes, readJson, writeJson } from '../documents.ts'
import { LearnModelDocument, learn } from './index.ts'
import { loadModel } from './model-io.ts'
import { makeSyntheticRecordings } from './test-support/synthetic.ts'
import { storeDataset } from './test-support/store-dataset.ts'

if (learn.kind !== 'whole') throw new Error('LEARN is a whole-input task')
const run = learn.run.bind(learn)
const recordings = makeSyntheticRecordings({
  speakers: ['sf3', 'ssc', 'sus'],
  utterances: 10,
  frames: 40,
  numcep: 12,
  seed: 2,
  separation: 0.3,
})
const options = { epochs: 3, hidden: 32, batchSize: 64 }

async function setUp(withMfcc = true) {
  const store = createMemoryStore()
  const input = await writeJson(store, await storeDataset(store, recordings, withMfcc))
  return { store, input }
}

describe('LEARN task', () => {
  it('reads the MFCCs through the store, trains, and stores a loadable model and its document', async () => {
    const { store, input } = await setUp()
    const ctx = makeTaskContext('LEARN', { store, args: [options] })
    const result = await run(input, [options], ctx)

    const document = LearnModelDocument.parse(await readJson(store, result.output))
    expect(document).toMatchObject({
      kind: 'banzai.model/1',
      task: 'classifier',
      backend: 'wasm',
      labels: ['sf3', 'ssc', 'sus'],
    })
    expect(document.split).toEqual({ train: 6, validation: 2, test: 2 }) // round(10 × 0.15) = 2
    expect(document.utterances.test.filter((id) => document.utterances.train.includes(id))).toEqual([])
    expect(document.metrics.test).toMatchObject({ accuracy: 1, recordings: 6 })
    expect(document.options).toEqual({
      task: 'auto',
      epochs: 3,
      batchSize: 64,
      hidden: 32,
      seed: 1,
      validationSplit: 0.15,
      testSplit: 0.2,
    })
    expect(document.normalization.mean).toHaveLength(12)
    expect(result.refs).toEqual([]) // the model document references its files itself
    expect(documentRefs(document)).toEqual([document.model, document.weights])
    expect(result.stats).toMatchObject({
      epochs: 3,
      items: 30,
      trainFrames: 6 * 3 * 40,
      validationFrames: 2 * 3 * 40,
      testFrames: 2 * 3 * 40,
    })
    expect(ctx.progressCalls).toEqual([1, 2, 3].map((done) => ({ done, total: 3, unit: 'epochs' })))
    expect(ctx.logs.filter((l) => l.startsWith('info epoch '))).toHaveLength(3)

    const modelJson = await readBytes(store, document.model)
    const manifest = (JSON.parse(new TextDecoder().decode(modelJson)) as tf.io.ModelJSON).weightsManifest
    expect(manifest[0]?.paths).toEqual([document.weights])
    const model = await loadModel(modelJson, await readBytes(store, document.weights))
    const probs = tf.tidy(
      () => (model.predict(tf.zeros([4, 12 * 7])) as tf.Tensor).sum(1).arraySync() as number[],
    )
    for (const p of probs) expect(p).toBeCloseTo(1, 5)
    model.dispose()
  })

  it('gives the same output document (same CID) for the same input and options', async () => {
    const { store, input } = await setUp()
    const first = await run(input, [options], makeTaskContext('LEARN', { store, args: [options] }))
    const second = await run(input, [options], makeTaskContext('LEARN', { store, args: [options] }))
    expect(second.output).toBe(first.output)
  })

  it('rejects a dataset whose items have no MFCCs, naming the item', async () => {
    const { store, input } = await setUp(false)
    await expect(run(input, [], makeTaskContext('LEARN', { store }))).rejects.toThrow(
      /items\[0\] \(sf3\/arctic_a0001\) has no mfcc: run EXTRACT_MFCC/,
    )
  })

  it('its declared arguments reject bad options with the field and the rule (the worker parses them)', () => {
    const parsed = argsSchema(LEARN).safeParse([{ epochs: 0, dropout: 0.5 }])
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual([
      'LEARN.args[0].epochs (epochs) must be an integer between 1 and 1000, got 0',
      'LEARN.args[0].dropout is not a known option (known: task, epochs, batchSize, hidden, seed, validationSplit, testSplit)',
    ])
  })

  it('stops when the order is cancelled', async () => {
    const { store, input } = await setUp()
    const ctx = makeTaskContext('LEARN', { store, args: [options] })
    ctx.progress = () => ctx.controller.abort(new Error('order cancelled'))
    await expect(run(input, [options], ctx)).rejects.toThrow('order cancelled')
  })

  it('needs an input dataset', async () => {
    await expect(run(null as Cid | null, [], makeTaskContext('LEARN'))).rejects.toThrow(
      /needs a dataset as input/,
    )
  })
})
