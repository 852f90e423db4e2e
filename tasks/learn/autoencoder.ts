import * as tf from '@tensorflow/tfjs'
import type { FrameMatrix } from './features.ts'
import { LEARNING_RATE } from './options.ts'

/** Test metrics of the frame autoencoder, in normalised units (each coefficient has unit variance in training). */
export interface AutoencoderTest {
  /** Mean squared reconstruction error per coefficient on the test frames. */
  mse: number
  /** The same error for always predicting the training mean: what the autoencoder must beat. */
  baselineMse: number
}

/** Width of the bottleneck for `dims` coefficients: a third of them, at least 1 (8 for 24 MFCCs). */
export function codeSize(dims: number): number {
  return Math.max(1, Math.floor(dims / 3))
}

/**
 * A dense frame autoencoder: dims → hidden (relu) → code (linear) → hidden (relu) → dims (linear);
 * Glorot-uniform kernels seeded from `seed`; Adam, mean squared error.
 */
export function buildAutoencoder(dims: number, hidden: number, seed: number): tf.Sequential {
  const model = tf.sequential({ name: 'banzai_frame_autoencoder' })
  const dense = (
    name: string,
    units: number,
    activation: 'relu' | 'linear',
    offset: number,
    inputShape?: number[],
  ) =>
    tf.layers.dense({
      name,
      units,
      activation,
      inputShape,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + offset }),
    })
  model.add(dense('encode', hidden, 'relu', 1, [dims]))
  model.add(dense('code', codeSize(dims), 'linear', 2))
  model.add(dense('decode', hidden, 'relu', 3))
  model.add(dense('reconstruction', dims, 'linear', 4))
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'meanSquaredError' })
  return model
}

/** Reconstruction error on the test frames, against the baseline of predicting `trainMean` for every frame. */
export function testAutoencoder(
  model: tf.LayersModel,
  test: FrameMatrix,
  trainMean: readonly number[],
): AutoencoderTest {
  const mse = tf.tidy(() => {
    const x = tf.tensor2d(test.data, [test.rows, test.cols])
    const y = model.predict(x) as tf.Tensor2D
    return tf.losses.meanSquaredError(x, y).dataSync()[0] ?? Number.NaN
  })
  let sum = 0
  for (let r = 0; r < test.rows; r++) {
    for (let c = 0; c < test.cols; c++) {
      const d = (test.data[r * test.cols + c] ?? 0) - (trainMean[c] ?? 0)
      sum += d * d
    }
  }
  return { mse, baselineMse: test.data.length > 0 ? sum / test.data.length : Number.NaN }
}
