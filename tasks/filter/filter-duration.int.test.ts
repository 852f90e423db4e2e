import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import {
  argsSchema,
  type Cid,
  DATASET_KIND,
  type DatasetItem,
  type DatasetManifest,
  FILTER_LONGER,
  type WholeTaskImplementation,
} from '../../core/domain/index.ts'
import { makeTaskContext, type TestTaskContext } from '../../test/support/task-context.ts'
import { documentRefs, readManifest, writeJson } from '../documents.ts'
import { parseWavHeader } from '../wav/index.ts'
import { filterLonger, filterShorter } from './index.ts'

/** Puts the edge WAVs in the store and a manifest listing them, built from their parsed headers. */
async function edgeDataset(ctx: TestTaskContext): Promise<Cid> {
  const items: DatasetItem[] = []
  for (const utterance of ['edge_5000ms', 'edge_4999ms']) {
    const bytes = await readFile(new URL(`../../fixtures/golden/${utterance}.wav`, import.meta.url))
    const { sampleRate, channels, samples, seconds } = parseWavHeader(bytes)
    const { cid } = await ctx.store.put(bytes)
    items.push({
      id: `edge/${utterance}`,
      speaker: 'edge',
      utterance,
      audio: cid,
      sampleRate,
      channels,
      samples,
      seconds,
    })
  }
  const zip = await ctx.store.put(new TextEncoder().encode('the zip the items came from'))
  const manifest: DatasetManifest = {
    kind: DATASET_KIND,
    sources: [{ url: 'file:///edge.zip', cid: zip.cid, skipped: [] }],
    items,
  }
  return writeJson(ctx.store, manifest)
}

async function run(
  task: WholeTaskImplementation<[number]>,
  seconds: number,
): Promise<{
  ctx: TestTaskContext
  kept: string[]
  result: Awaited<ReturnType<WholeTaskImplementation['run']>>
}> {
  if (task.kind !== 'whole') throw new Error('filters are whole-dataset tasks')
  const ctx = makeTaskContext('FILTER_LONGER', { args: [seconds] })
  const input = await edgeDataset(ctx)
  const result = await task.run(input, [seconds], ctx)
  const output = await readManifest(ctx.store, result.output)
  return { ctx, kept: output.items.map((i) => i.utterance), result }
}

describe('FILTER_LONGER / FILTER_SHORTER on the 5 s boundary', () => {
  it('FILTER_LONGER(5) keeps the 80,000-sample file and drops the 79,999-sample one', async () => {
    const { kept, result, ctx } = await run(filterLonger, 5)
    expect(kept).toEqual(['edge_5000ms'])
    expect(result.stats).toEqual({ kept: 1, dropped: 1 })
    const output = await readManifest(ctx.store, result.output)
    expect(result.refs).toEqual([]) // the manifest references them itself
    expect(documentRefs(output)).toEqual([output.sources[0]!.cid, output.items[0]!.audio])
    expect(ctx.progressCalls.at(-1)).toEqual({ done: 2, total: 2, unit: 'items' })
  })

  it('FILTER_SHORTER(5) keeps exactly the other one', async () => {
    const { kept, result } = await run(filterShorter, 5)
    expect(kept).toEqual(['edge_4999ms'])
    expect(result.stats).toEqual({ kept: 1, dropped: 1 })
  })

  it('keeps everything with 0 and says so when nothing is left', async () => {
    expect((await run(filterLonger, 0)).kept).toEqual(['edge_5000ms', 'edge_4999ms'])
    const { kept, ctx, result } = await run(filterShorter, 0)
    expect(kept).toEqual([])
    expect(result.stats).toEqual({ kept: 0, dropped: 2 })
    expect(ctx.logs).toContain(
      'info FILTER_SHORTER(0): none of the 2 items lasts less than 0 s; the dataset is empty',
    )
  })

  it('keeps the sources and the other manifest fields', async () => {
    const { ctx, result } = await run(filterLonger, 5)
    const output = await readManifest(ctx.store, result.output)
    expect(output.kind).toBe(DATASET_KIND)
    expect(output.sources).toEqual([expect.objectContaining({ url: 'file:///edge.zip' })])
  })

  it('rejects a bad argument (the declaration parses it) and a missing input', async () => {
    const ctx = makeTaskContext('FILTER_LONGER')
    expect(
      argsSchema(FILTER_LONGER)
        .safeParse(['5s'])
        .error?.issues.map((issue) => issue.message),
    ).toEqual(['FILTER_LONGER.args[0] (seconds) must be a number between 0 and 86400, got "5s"'])
    await expect(filterLonger.run(null, [5], ctx)).rejects.toThrow('needs a dataset as input')
  })
})
