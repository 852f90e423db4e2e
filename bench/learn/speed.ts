import * as tf from '@tensorflow/tfjs'
import { ensureBackend } from '../../tasks/learn/backend.ts'
import { buildClassifier } from '../../tasks/learn/classifier.ts'
import { createRandom, drawNormal } from '../../tasks/learn/rng.ts'
import { fitSeeded, type TensorPair } from '../../tasks/learn/train-loop.ts'
import { fitSeeded as fitOnBatches } from './train-on-batch-loop.ts'

/** One way of training, timed over the same model shape and frames. */
export type LoopName = 'trainOnBatch loop (LEARN v1)' | 'LEARN v2 (fitSeeded)' | 'bare model.fit'

/** What one timed run measured. */
export interface SpeedRun {
  loop: LoopName
  frames: number
  epochs: number
  batchSize: number
  seconds: number
  /** CPU seconds of this process (user + system): steadier than wall time on a shared machine. */
  cpuSeconds: number
  msPer1000Frames: number
  secondsPerEpoch: number
}

/** Seeded frames of `inputs` features over `classes` classes (Gaussian clusters), as tensors. */
export function syntheticFrames(rows: number, inputs: number, classes: number, seed: number): TensorPair {
  const random = createRandom(seed)
  const centres = Array.from({ length: classes }, () =>
    Array.from({ length: inputs }, () => drawNormal(random)),
  )
  const x = new Float32Array(rows * inputs)
  const y = new Float32Array(rows * classes)
  for (let r = 0; r < rows; r++) {
    const c = r % classes
    y[r * classes + c] = 1
    for (let i = 0; i < inputs; i++) x[r * inputs + i] = (centres[c]?.[i] ?? 0) + drawNormal(random) * 2
  }
  return { x: tf.tensor2d(x, [rows, inputs]), y: tf.tensor2d(y, [rows, classes]) }
}

/** Trains a fresh classifier (`inputs`→hidden→hidden→classes) with `loop` on `data` (every loop evaluates `validation` after each epoch); wall time per 1,000 frame-epochs. */
export async function timeLoop(
  loop: LoopName,
  data: TensorPair,
  shape: { hidden: number; classes: number },
  run: { epochs: number; batchSize: number },
  validation: TensorPair | null = null,
): Promise<SpeedRun> {
  await ensureBackend()
  const [rows, inputs] = data.x.shape
  const model = buildClassifier(inputs, shape.hidden, shape.classes, 1)
  const options = { ...run, random: createRandom(1), withAccuracy: true }
  const started = performance.now()
  const cpuStart = process.cpuUsage()
  const validationData: [tf.Tensor, tf.Tensor] | undefined = validation
    ? [validation.x, validation.y]
    : undefined
  if (loop === 'bare model.fit') {
    // The same work as LEARN's loop: the validation loss after each epoch (fit's own shuffling).
    await model.fit(data.x, data.y, {
      epochs: run.epochs,
      batchSize: run.batchSize,
      verbose: 0,
      validationData,
    })
  } else if (loop === 'LEARN v2 (fitSeeded)') {
    await fitSeeded(model, data, validation, options)
  } else {
    await fitOnBatches(model, data, validation, options)
  }
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuStart)
  model.optimizer.dispose()
  model.dispose()
  return {
    loop,
    frames: rows,
    epochs: run.epochs,
    batchSize: run.batchSize,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    msPer1000Frames: (seconds * 1000 * 1000) / (rows * run.epochs),
    secondsPerEpoch: seconds / run.epochs,
  }
}
