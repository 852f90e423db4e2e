import {
  type Cid,
  type DatasetItem,
  type ImplementationOf,
  type TaskContext,
  ValidationError,
} from '../../core/domain/index.ts'
import { readBytes, readManifest, writeJson } from '../documents.ts'
import { decodeNpy } from '../npy/index.ts'
import { type LearnModelDocument, MODEL_KIND } from '../../core/domain/index.ts'
import { encodeModelJson } from './model-json.ts'
import { MAX_TEST_FRAMES, MAX_TRAIN_FRAMES, resolveLearnOptions } from './options.ts'
import type { FrameMatrix } from './features.ts'
import type { LearnRecording } from './train.ts'
import { trainInThread } from './train-in-thread.ts'

/**
 * LEARN([options]) (SPEC §3): trains on a dataset's MFCCs and stores the model, its weights and a
 * `banzai.model/1` document. Training runs in a worker thread (`train-in-thread.ts`): the
 * worker's event loop, and so its heartbeat, never waits on TensorFlow.js.
 */
export const learn: ImplementationOf<'LEARN'> = {
  kind: 'whole',
  async run(input, args, ctx) {
    const options = resolveLearnOptions(args)
    const manifest = await readManifest(ctx.store, input)
    const recordings = await listRecordings(manifest.items, ctx)
    const started = performance.now()
    const outcome = await trainInThread(recordings, options, {
      signal: ctx.signal,
      onEpoch: (epoch, epochs, m) => {
        ctx.progress(epoch, epochs, 'epochs')
        const acc =
          m.acc === undefined ? '' : ` acc ${m.acc.toFixed(3)} valAcc ${m.valAcc?.toFixed(3) ?? '-'}`
        ctx.log.info(
          `epoch ${epoch}/${epochs}: loss ${m.loss.toFixed(4)} valLoss ${m.valLoss?.toFixed(4) ?? '-'}${acc}`,
        )
      },
    })
    const trainMs = performance.now() - started
    const { exported } = outcome
    const weights = (await ctx.store.put(exported.weights)).cid
    const model = (await ctx.store.put(encodeModelJson(exported.artifacts, weights))).cid
    const { test } = outcome.metrics
    if (test !== null) ctx.log.info(`test: ${JSON.stringify(test)}`)
    else ctx.log.warn(`no test metrics: ${outcome.split.reason ?? 'no test part'}`)
    const document: LearnModelDocument = {
      kind: MODEL_KIND,
      task: outcome.task,
      backend: outcome.backend,
      model,
      weights,
      labels: outcome.labels,
      metrics: {
        ...outcome.metrics,
        sampling: {
          method: 'subsample',
          maxTrainFrames: MAX_TRAIN_FRAMES,
          maxTestFrames: MAX_TEST_FRAMES,
          trainStride: outcome.stride,
          testStride: outcome.testStride,
          frames: outcome.frames,
        },
      },
      ...(outcome.split.reason === undefined ? {} : { reason: outcome.split.reason }),
      split: {
        train: outcome.split.train.length,
        validation: outcome.split.validation.length,
        test: outcome.split.test.length,
      },
      utterances: {
        train: outcome.split.train,
        validation: outcome.split.validation,
        test: outcome.split.test,
      },
      normalization: { ...outcome.normalization, context: outcome.context },
      options: { ...options, batchSize: outcome.batchSize },
    }
    const output = await writeJson(ctx.store, document)
    return {
      output,
      refs: [], // the model document references its files itself
      stats: {
        epochs: outcome.metrics.epochs.length,
        items: recordings.length,
        trainFrames: outcome.frames.train,
        validationFrames: outcome.frames.validation,
        testFrames: outcome.frames.test,
        frameStride: outcome.stride,
        testFrameStride: outcome.testStride,
        trainMs: Math.round(trainMs),
      },
    }
  },
}

/**
 * The items as recordings. An item that says how many `frames` it has is read only when training
 * needs it (one at a time, every k-th frame kept: memory bounded); one that does not is read now.
 * An item without `mfcc` is rejected, one with no frames is left out.
 */
async function listRecordings(items: readonly DatasetItem[], ctx: TaskContext): Promise<LearnRecording[]> {
  const out: LearnRecording[] = []
  const numcep: { value?: number } = {}
  let lazy = 0
  for (const [i, item] of items.entries()) {
    ctx.signal.throwIfAborted()
    const cid = item.mfcc
    if (cid === undefined) {
      throw new ValidationError(`input items[${i}] (${item.id}) has no mfcc: run EXTRACT_MFCC before LEARN`)
    }
    const meta = { id: item.id, speaker: item.speaker, utterance: item.utterance }
    const frames = item.frames
    if (frames === 0) {
      ctx.log.warn(`items[${i}] (${item.id}) has no MFCC frames: left out`)
    } else if (frames !== undefined) {
      out.push({ ...meta, frames, load: () => readMatrix(ctx, i, cid, numcep) })
      lazy++
    } else {
      const mfcc = await readMatrix(ctx, i, cid, numcep)
      if (mfcc.rows > 0) out.push({ ...meta, mfcc })
      else ctx.log.warn(`items[${i}] (${item.id}) has no MFCC frames: left out`)
    }
  }
  ctx.log.info(`${out.length} items with MFCCs (${lazy} read as training needs them)`)
  return out
}

/** Reads one item's `.npy` as a [frames, numcep] matrix; every item must have the same numcep. */
async function readMatrix(
  ctx: TaskContext,
  i: number,
  cid: Cid,
  numcep: { value?: number },
): Promise<FrameMatrix> {
  const { data, shape } = decodeNpy(await readBytes(ctx.store, cid))
  const [rows, cols] = shape
  if (shape.length !== 2 || rows === undefined || cols === undefined) {
    throw new ValidationError(
      `input items[${i}].mfcc (${cid}) must be a 2-d [frames, numcep] array, got shape [${shape.join(', ')}]`,
    )
  }
  numcep.value ??= cols
  if (cols !== numcep.value) {
    throw new ValidationError(
      `input items[${i}].mfcc (${cid}) has ${cols} coefficients per frame, the items before it ${numcep.value}`,
    )
  }
  return { data, rows, cols }
}
