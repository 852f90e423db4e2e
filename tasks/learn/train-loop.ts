import * as tf from '@tensorflow/tfjs'
import type { Random } from './rng.ts'
import { shuffleInPlace } from './rng.ts'

/** What one epoch measured: mean training loss over its batches, validation loss after it (null without a validation part). */
export interface EpochMetrics {
  loss: number
  valLoss: number | null
  /** Frame accuracy over the epoch's batches (classifier only). */
  acc?: number
  /** Frame accuracy on the validation part after the epoch (classifier only). */
  valAcc?: number | null
}

/** How a training run reports and is stopped. */
export interface TrainHooks {
  /** An abort stops training after the running batch and rejects with the signal's reason. */
  signal?: AbortSignal
  /** Called after each epoch (1-based). */
  onEpoch?: (epoch: number, epochs: number, metrics: EpochMetrics) => void
}

/** Inputs and targets, one row per frame. */
export interface TensorPair {
  x: tf.Tensor2D
  y: tf.Tensor2D
}

/**
 * Longest stretch of training between two turns of the event loop, in ms: tfjs's `fit` yields
 * (setImmediate, no data sync) at most this often, so timers (the worker's heartbeat) keep running.
 */
export const YIELD_EVERY_MS = 50

/**
 * Trains a compiled model for `epochs` passes with tfjs's own `fit` (one call per epoch, no data
 * sync per batch), on frames shuffled before each epoch with the seeded `random` (fit's own
 * shuffling uses Math.random, so it is off); returns each epoch's metrics.
 */
export async function fitSeeded(
  model: tf.LayersModel,
  train: TensorPair,
  validation: TensorPair | null,
  options: { epochs: number; batchSize: number; random: Random; withAccuracy: boolean },
  hooks: TrainHooks = {},
): Promise<EpochMetrics[]> {
  const { signal } = hooks
  const stop = (): void => {
    model.stopTraining = true
  }
  signal?.addEventListener('abort', stop)
  const history: EpochMetrics[] = []
  const order = Array.from({ length: train.x.shape[0] }, (_, i) => i)
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      signal?.throwIfAborted()
      shuffleInPlace(order, options.random)
      const { loss, acc } = await fitEpoch(model, train, order, options.batchSize, signal)
      // model.stopTraining (set by the abort) ends fit after the running batch.
      signal?.throwIfAborted()
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
  } finally {
    signal?.removeEventListener('abort', stop)
  }
  return history
}

/** One pass of `model.fit` over the frames in `order`; the epoch's mean loss and accuracy. */
async function fitEpoch(
  model: tf.LayersModel,
  train: TensorPair,
  order: readonly number[],
  batchSize: number,
  signal: AbortSignal | undefined,
): Promise<{ loss: number; acc: number }> {
  const [xs, ys] = tf.tidy(() => {
    const indices = tf.tensor1d(Int32Array.from(order), 'int32')
    return [tf.gather(train.x, indices), tf.gather(train.y, indices)]
  })
  try {
    const fitted = await model.fit(xs, ys, {
      epochs: 1,
      batchSize,
      shuffle: false,
      verbose: 0,
      yieldEvery: YIELD_EVERY_MS,
      // A custom callback is needed for fit to yield at all. fit clears stopTraining when it starts:
      // an abort that came before is applied again here (fit then stops after one batch).
      callbacks: {
        onEpochBegin: () => {
          if (signal?.aborted) model.stopTraining = true
          return Promise.resolve()
        },
      },
    })
    const loss = fitted.history['loss']?.[0]
    const acc = fitted.history['acc']?.[0]
    return {
      loss: typeof loss === 'number' ? loss : Number.NaN,
      acc: typeof acc === 'number' ? acc : Number.NaN,
    }
  } finally {
    xs.dispose()
    ys.dispose()
  }
}

/** Loss (and accuracy, when compiled with it) of a model on a whole part. */
function evaluate(model: tf.LayersModel, part: TensorPair): [number, number | undefined] {
  const out = model.evaluate(part.x, part.y, { batchSize: 4096 })
  const scalars = Array.isArray(out) ? out : [out]
  const values = scalars.map((s) => s.dataSync()[0] ?? Number.NaN)
  for (const s of scalars) s.dispose()
  return [values[0] ?? Number.NaN, values[1]]
}
