import * as tf from '@tensorflow/tfjs'
import type { FrameMatrix } from './features.ts'
import { LEARNING_RATE } from './options.ts'

/** Test metrics of the speaker classifier; one decision per recording (frame probabilities averaged). */
export interface ClassifierTest {
  /** Share of test recordings whose speaker was recognised. */
  accuracy: number
  /** `confusion[true][predicted]`: counts of test recordings, in the order of `labels`. */
  confusion: number[][]
  /** Share of test frames classified right, each on its own. */
  frameAccuracy: number
  /** Test recordings counted. */
  recordings: number
}

/** A recording's stacked, normalised frames and the index of its speaker. */
export interface LabelledMatrix {
  x: FrameMatrix
  label: number
}

/**
 * A dense network over stacked frames: inputs → hidden (relu) → hidden (relu) → classes (softmax);
 * Glorot-uniform kernels seeded from `seed`, zero biases; Adam, categorical cross-entropy.
 */
export function buildClassifier(
  inputs: number,
  hidden: number,
  classes: number,
  seed: number,
): tf.Sequential {
  const model = tf.sequential({ name: 'banzai_speaker_classifier' })
  model.add(
    tf.layers.dense({
      name: 'hidden_1',
      inputShape: [inputs],
      units: hidden,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  )
  model.add(
    tf.layers.dense({
      name: 'hidden_2',
      units: hidden,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
    }),
  )
  model.add(
    tf.layers.dense({
      name: 'speaker',
      units: classes,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }),
    }),
  )
  model.compile({
    optimizer: tf.train.adam(LEARNING_RATE),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  })
  return model
}

/** One-hot targets for each frame of each recording, in order. */
export function oneHotFrames(parts: readonly LabelledMatrix[], classes: number): FrameMatrix {
  const rows = parts.reduce((n, p) => n + p.x.rows, 0)
  const data = new Float32Array(rows * classes)
  let row = 0
  for (const p of parts) {
    for (let r = 0; r < p.x.rows; r++, row++) data[row * classes + p.label] = 1
  }
  return { data, rows, cols: classes }
}

/** Speaker probabilities of one recording: the mean of its frames' softmax outputs. */
export function predictRecording(model: tf.LayersModel, x: FrameMatrix): Float32Array {
  return tf.tidy(() => {
    const probs = model.predict(tf.tensor2d(x.data, [x.rows, x.cols])) as tf.Tensor2D
    return probs.mean(0).dataSync() as Float32Array
  })
}

/** Classifies each test recording by its averaged frame probabilities and counts the outcomes. */
export function testClassifier(
  model: tf.LayersModel,
  parts: readonly LabelledMatrix[],
  classes: number,
): ClassifierTest {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  let right = 0
  let frames = 0
  let rightFrames = 0
  for (const p of parts) {
    const score = scoreRecording(model, p)
    const predicted = argMax(score.probs)
    const row = confusion[p.label]
    if (row) row[predicted] = (row[predicted] ?? 0) + 1
    if (predicted === p.label) right++
    rightFrames += score.rightFrames
    frames += p.x.rows
  }
  return {
    accuracy: parts.length > 0 ? right / parts.length : 0,
    confusion,
    frameAccuracy: frames > 0 ? rightFrames / frames : 0,
    recordings: parts.length,
  }
}

/** A recording's averaged probabilities, and how many of its frames alone pick its speaker. */
function scoreRecording(
  model: tf.LayersModel,
  p: LabelledMatrix,
): { probs: Float32Array; rightFrames: number } {
  return tf.tidy(() => {
    const probs = model.predict(tf.tensor2d(p.x.data, [p.x.rows, p.x.cols])) as tf.Tensor2D
    const right = probs.argMax(1).equal(tf.scalar(p.label, 'int32')).sum()
    return { probs: probs.mean(0).dataSync() as Float32Array, rightFrames: right.dataSync()[0] ?? 0 }
  })
}

/** Index of the largest value (the first one on ties). */
export function argMax(values: ArrayLike<number>): number {
  let best = 0
  for (let i = 1; i < values.length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i
  return best
}
