import {
  type DatasetItem,
  type ImplementationOf,
  type TaskContext,
  ValidationError,
} from '../../core/domain/index.ts'
import { readBytes, readManifest, writeJson } from '../documents.ts'
import { decodeNpy } from '../npy/index.ts'
import { type LearnModelDocument, MODEL_KIND } from '../../core/domain/index.ts'
import { encodeModelJson, exportModel } from './model-io.ts'
import { resolveLearnOptions } from './options.ts'
import { type FeatureRecording, trainOnFeatures } from './train.ts'

/** LEARN([options]) (SPEC §3): trains on a dataset's MFCCs and stores the model, its weights and a `banzai.model/1` document. */
export const learn: ImplementationOf<'LEARN'> = {
  kind: 'whole',
  async run(input, args, ctx) {
    const options = resolveLearnOptions(args)
    const manifest = await readManifest(ctx.store, input)
    const recordings = await loadRecordings(manifest.items, ctx)
    const started = performance.now()
    const outcome = await trainOnFeatures(recordings, options, {
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
    try {
      const exported = await exportModel(outcome.model)
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
        metrics: outcome.metrics,
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
        options,
      }
      const output = await writeJson(ctx.store, document)
      return {
        output,
        refs: [model, weights],
        stats: {
          epochs: outcome.metrics.epochs.length,
          items: recordings.length,
          trainFrames: outcome.frames.train,
          validationFrames: outcome.frames.validation,
          testFrames: outcome.frames.test,
          frameStride: outcome.stride,
          trainMs: Math.round(trainMs),
        },
      }
    } finally {
      outcome.model.dispose()
    }
  },
}

/** Reads every item's MFCC matrix; an item without `mfcc` is rejected, one with no frames is left out. */
async function loadRecordings(items: readonly DatasetItem[], ctx: TaskContext): Promise<FeatureRecording[]> {
  const out: FeatureRecording[] = []
  let numcep: number | undefined
  for (const [i, item] of items.entries()) {
    ctx.signal.throwIfAborted()
    if (item.mfcc === undefined) {
      throw new ValidationError(`input items[${i}] (${item.id}) has no mfcc: run EXTRACT_MFCC before LEARN`)
    }
    const { data, shape } = decodeNpy(await readBytes(ctx.store, item.mfcc))
    const [rows, cols] = shape
    if (shape.length !== 2 || rows === undefined || cols === undefined) {
      throw new ValidationError(
        `input items[${i}].mfcc (${item.mfcc}) must be a 2-d [frames, numcep] array, got shape [${shape.join(', ')}]`,
      )
    }
    numcep ??= cols
    if (cols !== numcep) {
      throw new ValidationError(
        `input items[${i}].mfcc (${item.mfcc}) has ${cols} coefficients per frame, the items before it ${numcep}`,
      )
    }
    if (rows === 0) {
      ctx.log.warn(`items[${i}] (${item.id}) has no MFCC frames: left out`)
      continue
    }
    out.push({ id: item.id, speaker: item.speaker, utterance: item.utterance, mfcc: { data, rows, cols } })
  }
  ctx.log.info(`read the MFCCs of ${out.length} items (${numcep ?? 0} coefficients per frame)`)
  return out
}
