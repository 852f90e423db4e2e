import * as tf from '@tensorflow/tfjs'
import type { Random } from '../../tasks/learn/rng.ts'
import { shuffleInPlace } from '../../tasks/learn/rng.ts'
import type { EpochMetrics, TensorPair, TrainHooks } from '../../tasks/learn/train-loop.ts'

/**
 * Trains a compiled model for `epochs` passes, shuffling the frames before each with the seeded
 * `random` (tfjs's own shuffling uses Math.random, so it is never used); returns each epoch's metrics.
 */
export async function fitSeeded(
  model: tf.LayersModel,
  train: TensorPair,
  validation: TensorPair | null,
  options: { epochs: number; batchSize: number; random: Random; withAccuracy: boolean },
  hooks: TrainHooks = {},
): Promise<EpochMetrics[]> {
  const rows = train.x.shape[0]
  const history: EpochMetrics[] = []
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = shuffleInPlace(
      Array.from({ length: rows }, (_, i) => i),
      options.random,
    )
    const { loss, acc } = await runEpoch(model, train, order, options.batchSize, hooks.signal)
    const metrics: EpochMetrics = { loss, valLoss: null }
    if (validation && validation.x.shape[0] > 0) {
      const [valLoss, valAcc] = evaluate(model, validation)
      metrics.valLoss = valLoss
      if (options.withAccuracy) metrics.valAcc = valAcc ?? null
    } else if (options.withAccuracy) {
      metrics.valAcc = null
    }
    if (options.withAccuracy) metrics.acc = acc
    history.push(metrics)
    hooks.onEpoch?.(epoch, options.epochs, metrics)
  }
  return history
}

async function runEpoch(
  model: tf.LayersModel,
  train: TensorPair,
  order: number[],
  batchSize: number,
  signal: AbortSignal | undefined,
): Promise<{ loss: number; acc: number }> {
  const rows = order.length
  const [xs, ys] = tf.tidy(() => {
    const indices = tf.tensor1d(order, 'int32')
    return [tf.gather(train.x, indices), tf.gather(train.y, indices)]
  })
  let lossSum = 0
  let accSum = 0
  try {
    for (let start = 0; start < rows; start += batchSize) {
      signal?.throwIfAborted()
      const size = Math.min(batchSize, rows - start)
      const bx = xs.slice([start, 0], [size, -1])
      const by = ys.slice([start, 0], [size, -1])
      try {
        // The wasm backend computes synchronously: without a turn of the event loop between batches
        // no timer runs, and a long epoch would starve the worker's heartbeats (its lease expires).
        await new Promise<void>((resolve) => setImmediate(resolve))
        const out = await model.trainOnBatch(bx, by)
        const [loss, acc] = Array.isArray(out) ? out : [out]
        lossSum += (loss ?? 0) * size
        accSum += (acc ?? 0) * size
      } finally {
        bx.dispose()
        by.dispose()
      }
    }
  } finally {
    xs.dispose()
    ys.dispose()
  }
  return { loss: lossSum / rows, acc: accSum / rows }
}

/** Loss (and accuracy, when compiled with it) of a model on a whole part. */
function evaluate(model: tf.LayersModel, part: TensorPair): [number, number | undefined] {
  const out = model.evaluate(part.x, part.y, { batchSize: 4096 })
  const scalars = Array.isArray(out) ? out : [out]
  const values = scalars.map((s) => s.dataSync()[0] ?? Number.NaN)
  for (const s of scalars) s.dispose()
  return [values[0] ?? Number.NaN, values[1]]
}
