import { describe, expect, it } from 'vitest'
import {
  catalogue,
  DatasetManifest,
  makeOrderId,
  type PipelineId,
  PROTOCOL_VERSION,
  type TaskContext,
} from '../../core/domain/index.ts'
import { createMemoryStore } from '../../transport/memory/index.ts'
import { documentRefs, readJson, writeJson } from '../documents.ts'
import { utilityTasks } from './index.ts'

function context(signal = new AbortController().signal) {
  const progress: number[] = []
  const unit = { pipelineId: 'p' as PipelineId, step: 0, shard: 0, attempt: 1 }
  const ctx: TaskContext = {
    store: createMemoryStore(),
    signal,
    progress: (done) => progress.push(done),
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    order: {
      type: 'TaskOrder',
      v: PROTOCOL_VERSION,
      orderId: makeOrderId(unit),
      ...unit,
      call: 'X',
      version: 1,
      args: [],
      input: null,
      deadline: new Date().toISOString(),
    },
    settings: { dataDir: '.', allowedRoots: [], workerId: 'w9' },
  }
  return { ctx, progress }
}

describe('utility tasks', () => {
  it('implement every utility task of the catalogue, of the declared kind', () => {
    for (const [name, impl] of Object.entries(utilityTasks)) {
      expect(impl.kind === 'perItem').toBe(catalogue.get(name)?.perItem)
    }
  })

  it('NOOP writes {} for no input and passes a manifest through (its refs are read from it)', async () => {
    const { ctx } = context()
    const empty = await utilityTasks.NOOP.run(null, [], ctx)
    expect(await readJson(ctx.store, empty.output)).toEqual({})
    const made = await utilityTasks.MAKE_DATASET.run(null, [3], ctx)
    const passed = await utilityTasks.NOOP.run(made.output, [], ctx)
    expect(passed).toEqual({ output: made.output, refs: [] })
    const other = await writeJson(ctx.store, [1, 2])
    expect(await utilityTasks.NOOP.run(other, [], ctx)).toEqual({ output: other, refs: [] })
  })

  it('SLEEP waits, reports progress up to ms, and rejects promptly when aborted', async () => {
    const { ctx, progress } = context()
    await utilityTasks.SLEEP.run(null, [50], ctx)
    expect(progress.at(-1)).toBe(50)
    const controller = new AbortController()
    const aborted = context(controller.signal)
    const started = performance.now()
    const run = utilityTasks.SLEEP.run(null, [60_000], aborted.ctx)
    controller.abort(new Error('stop now'))
    await expect(run).rejects.toThrow('stop now')
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('FAIL throws its message, retryable only when asked', async () => {
    const { ctx } = context()
    await expect(utilityTasks.FAIL.run(null, ['nope'], ctx)).rejects.toMatchObject({
      message: 'nope',
      retryable: false,
    })
    await expect(utilityTasks.FAIL.run(null, ['again', true], ctx)).rejects.toMatchObject({
      message: 'again',
      retryable: true,
    })
  })

  it('MAKE_DATASET writes count distinct blobs and a manifest of them', async () => {
    const { ctx } = context()
    const result = await utilityTasks.MAKE_DATASET.run(null, [3], ctx)
    const manifest = DatasetManifest.parse(await readJson(ctx.store, result.output))
    expect(manifest.items.map((i) => [i.id, i.samples, i.sampleRate, i.channels, i.speaker])).toEqual([
      ['synthetic/item-00001', 1, 16_000, 1, 'synthetic'],
      ['synthetic/item-00002', 2, 16_000, 1, 'synthetic'],
      ['synthetic/item-00003', 3, 16_000, 1, 'synthetic'],
    ])
    expect(new Set(manifest.items.map((i) => i.audio)).size).toBe(3)
    for (const item of manifest.items) expect(await ctx.store.has(item.audio)).toBe(true)
    expect(result.refs).toEqual([])
    expect(documentRefs(manifest)).toEqual(manifest.items.map((i) => i.audio))
  })

  it('ECHO_ITEMS marks an item with the worker id', async () => {
    const { ctx } = context()
    const impl = utilityTasks.ECHO_ITEMS
    const made = await utilityTasks.MAKE_DATASET.run(null, [1], ctx)
    const manifest = DatasetManifest.parse(await readJson(ctx.store, made.output))
    expect(await impl.runItem(manifest.items[0]!, [1], ctx)).toEqual({ fields: { echo: 'w9' }, refs: [] })
  })
})
