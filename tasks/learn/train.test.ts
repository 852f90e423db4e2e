import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { ensureBackend } from './backend.ts'
import { DEFAULT_LEARN_OPTIONS, type LearnOptions } from './options.ts'
import { makeSyntheticRecordings } from './test-support/synthetic.ts'
import { type TrainOutcome, trainOnFeatures } from './train.ts'
import type { EpochMetrics } from './train-loop.ts'

// Small enough for seconds on a shared core: 3 speakers × 12 utterances × 40 frames × 12 coefficients.
const small: LearnOptions = { ...DEFAULT_LEARN_OPTIONS, epochs: 4, batchSize: 64, hidden: 32, seed: 7 }
const threeSpeakers = makeSyntheticRecordings({
  speakers: ['sf3', 'ssc', 'sus'],
  utterances: 12,
  frames: 40,
  numcep: 12,
  seed: 11,
  separation: 0.25,
})

async function train(
  recordings = threeSpeakers,
  options: Partial<LearnOptions> = {},
  hooks = {},
): Promise<TrainOutcome> {
  const outcome = await trainOnFeatures(recordings, { ...small, ...options }, hooks)
  outcome.model.dispose()
  return outcome
}

describe('trainOnFeatures: classifier', () => {
  it('recognises the speakers of held-out utterances, never testing on a training sentence', async () => {
    const epochs: number[] = []
    const outcome = await train(threeSpeakers, {}, { onEpoch: (e: number) => epochs.push(e) })
    expect(outcome.task).toBe('classifier')
    expect(outcome.labels).toEqual(['sf3', 'ssc', 'sus'])
    expect(epochs).toEqual([1, 2, 3, 4])
    const { train: trained, validation, test } = outcome.split
    expect(test.filter((id) => trained.includes(id) || validation.includes(id))).toEqual([])
    expect([trained.length, validation.length, test.length]).toEqual([8, 2, 2])
    // Frames overlap between speakers (separation 0.25 against noise 0.5 per coefficient); the
    // average over a recording's 40 frames decides. 6 test recordings: all must be right.
    const metrics = outcome.metrics.test
    expect(metrics).toMatchObject({ accuracy: 1, recordings: 6 })
    expect(metrics && 'confusion' in metrics ? metrics.confusion : []).toEqual([
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, 2],
    ])
    const last = outcome.metrics.epochs.at(-1)
    expect(last?.acc).toBeGreaterThan(0.6)
    expect(last?.valAcc).toBeGreaterThan(0.6)
    expect(outcome.metrics.epochs[0]!.loss).toBeGreaterThan(last!.loss)
  })

  it('is deterministic: the same input and options give the same metrics, another seed others', async () => {
    const first = await train()
    const second = await train()
    expect(second.metrics).toEqual(first.metrics)
    expect(second.normalization).toEqual(first.normalization)
    const other = await train(threeSpeakers, { seed: 8 })
    expect(other.metrics.epochs).not.toEqual(first.metrics.epochs)
  })

  it('leaves no tensor behind once the model is disposed (optimizer state included)', async () => {
    await ensureBackend()
    const before = tf.memory().numTensors
    await train(threeSpeakers, { epochs: 1 })
    expect(tf.memory().numTensors).toBe(before)
  })

  it('refuses task "classifier" for one speaker', async () => {
    const one = threeSpeakers.filter((r) => r.speaker === 'sus')
    await expect(train(one, { task: 'classifier' })).rejects.toThrow(
      /needs two speakers or more; the dataset has 1/,
    )
  })

  it('stops at an abort and rejects with its reason', async () => {
    const controller = new AbortController()
    const seen: number[] = []
    const hooks = {
      signal: controller.signal,
      onEpoch: (e: number) => {
        seen.push(e)
        controller.abort(new Error('cancelled by test'))
      },
    }
    await expect(train(threeSpeakers, {}, hooks)).rejects.toThrow('cancelled by test')
    expect(seen).toEqual([1])
  })
})

describe('trainOnFeatures: autoencoder', () => {
  const oneSpeaker = makeSyntheticRecordings({
    speakers: ['sus'],
    utterances: 12,
    frames: 60,
    numcep: 12,
    seed: 5,
  })

  it('is chosen for one speaker and reconstructs held-out frames better than the training mean', async () => {
    const outcome = await train(oneSpeaker, { epochs: 10, batchSize: 32 })
    expect(outcome.task).toBe('autoencoder')
    expect(outcome.context).toBe(0)
    const metrics = outcome.metrics.test
    if (metrics === null || !('mse' in metrics))
      throw new Error(`expected autoencoder test metrics, got ${JSON.stringify(metrics)}`)
    // The frames are a rank-3 signal plus noise of a few per cent of the variance; a 4-wide code
    // recovers the signal. Seeds 7–9 give mse ≈ 0.1 × baseline (about 1 in normalised units): 0.5× is a wide margin.
    expect(metrics.baselineMse).toBeGreaterThan(0.8)
    expect(metrics.mse).toBeLessThan(0.5 * metrics.baselineMse)
    const epochs: EpochMetrics[] = outcome.metrics.epochs
    expect(epochs.every((e) => e.acc === undefined && typeof e.valLoss === 'number')).toBe(true)
  })

  it('trains on everything and reports no test below 3 utterance ids', async () => {
    const two = oneSpeaker.filter((r) => r.utterance <= 'arctic_a0002')
    const outcome = await train(two, { epochs: 2 })
    expect(outcome.metrics.test).toBeNull()
    expect(outcome.split.reason).toMatch(/only 2 utterance ids/)
    expect(outcome.frames).toEqual({ train: 120, validation: 0, test: 0 })
    expect(outcome.metrics.epochs.map((e) => e.valLoss)).toEqual([null, null])
  })
})

describe('trainOnFeatures: a worker stays responsive', () => {
  // 3 speakers × 20 utterances × 100 frames: ~1,300 training frames, 160 batches of 8.
  const many = makeSyntheticRecordings({
    speakers: ['sf3', 'ssc', 'sus'],
    utterances: 20,
    frames: 100,
    numcep: 12,
    seed: 3,
  })

  it('lets timers (the worker heartbeat) run during an epoch, at least every 250 ms on average', async () => {
    // A chain of zero-delay timers advances once per turn of the event loop: training that never
    // yields lets it advance only at the epoch's end; fit's yields (every 50 ms) let it keep pace.
    let turns = 0
    let running = true
    const tick = (): void => {
      turns++
      if (running) setTimeout(tick, 0)
    }
    const started = performance.now()
    setTimeout(tick, 0)
    const atEpochEnd: { turns: number; ms: number }[] = []
    await train(
      many,
      { epochs: 1, batchSize: 8 },
      {
        onEpoch: () => atEpochEnd.push({ turns, ms: performance.now() - started }),
      },
    )
    running = false
    const end = atEpochEnd[0]!
    // Not yielding leaves 0 turns; yielding every 50 ms gives one turn per 50 ms of the epoch.
    expect(end.turns).toBeGreaterThanOrEqual(Math.max(2, Math.floor(end.ms / 250)))
  })

  it('stops in the middle of an epoch when aborted, rejecting with the reason', async () => {
    const controller = new AbortController()
    const epochs: number[] = []
    // The first turn of the event loop after training started (fit yields): abort then.
    const aborted = new Promise<void>((resolve) =>
      setTimeout(() => {
        controller.abort(new Error('step timeout'))
        resolve()
      }, 0),
    )
    const training = train(
      many,
      { epochs: 1, batchSize: 8 },
      {
        signal: controller.signal,
        onEpoch: (e: number) => epochs.push(e),
      },
    )
    await expect(training).rejects.toThrow('step timeout')
    await aborted
    expect(epochs).toEqual([])
  })
})
