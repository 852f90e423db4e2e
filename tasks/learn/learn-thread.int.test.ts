import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../core/domain/index.ts'
import { makeTaskContext } from '../../test/support/task-context.ts'
import { createMemoryStore } from '../../transport/memory/index.ts'
import { writeJson } from '../documents.ts'
import { learn } from './index.ts'
import { makeSyntheticRecordings } from './test-support/synthetic.ts'
import { storeDataset } from './test-support/store-dataset.ts'

// LEARN trains in a worker thread: the task's own thread (the worker's, which sends heartbeats)
// never loads TensorFlow.js, and the thread's errors come back as the same classes.
if (learn.kind !== 'whole') throw new Error('LEARN is a whole-input task')
const run = learn.run.bind(learn)

async function dataset(speakers: string[]) {
  const store = createMemoryStore()
  const recordings = makeSyntheticRecordings({ speakers, utterances: 10, frames: 30, numcep: 12, seed: 4 })
  return { store, input: await writeJson(store, await storeDataset(store, recordings)) }
}

/** tfjs-core registers its engine on the global object when it loads. */
const isTfjsLoadedHere = (): boolean => (globalThis as { _tfengine?: unknown })._tfengine !== undefined

describe('LEARN in its thread', () => {
  it('trains and reports every epoch without loading TensorFlow.js on the task’s thread', async () => {
    const { store, input } = await dataset(['sf3', 'ssc'])
    const options = { epochs: 2, hidden: 16, batchSize: 32 }
    const ctx = makeTaskContext('LEARN', { store, args: [options] })
    const result = await run(input, [options], ctx)
    expect(result.stats).toMatchObject({ epochs: 2, items: 20 })
    expect(ctx.progressCalls).toEqual([1, 2].map((done) => ({ done, total: 2, unit: 'epochs' })))
    expect(isTfjsLoadedHere()).toBe(false)
  })

  it('rejects with a ValidationError thrown in the thread, message intact', async () => {
    const { store, input } = await dataset(['sf3'])
    const options = { task: 'classifier' as const, epochs: 1 }
    const failure = run(input, [options], makeTaskContext('LEARN', { store, args: [options] }))
    await expect(failure).rejects.toBeInstanceOf(ValidationError)
    await expect(failure).rejects.toThrow(/"classifier", which needs two speakers or more/)
  })
})
