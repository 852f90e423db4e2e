// How soon LEARN's loop stops after an abort (cancel or step timeout): 100k frames, batch 1024,
// aborted 2 s into training, five times. Run: node --import tsx bench/learn/abort-latency.ts
import { ensureBackend } from '../../tasks/learn/backend.ts'
import { buildClassifier } from '../../tasks/learn/classifier.ts'
import { createRandom } from '../../tasks/learn/rng.ts'
import { fitSeeded } from '../../tasks/learn/train-loop.ts'
import { loadNow } from '../support/machine.ts'
import { syntheticFrames } from './speed.ts'

await ensureBackend()
const data = syntheticFrames(100_000, 168, 18, 3)
const latencies: number[] = []
for (let i = 0; i < 5; i++) {
  const model = buildClassifier(168, 64, 18, 1)
  const controller = new AbortController()
  // Measured from when the abort was due: a timer (like a cancel message) runs only when fit yields.
  const abortDue = performance.now() + 2_000
  setTimeout(() => controller.abort(new Error('step timeout')), 2_000)
  const options = { epochs: 10, batchSize: 1024, random: createRandom(1), withAccuracy: true }
  await fitSeeded(model, data, null, options, { signal: controller.signal }).catch(() => undefined)
  latencies.push(performance.now() - abortDue)
  model.optimizer.dispose()
  model.dispose()
}
console.log(
  `abort due → rejection, ms: ${latencies.map((ms) => ms.toFixed(0)).join(', ')} (load average ${loadNow().toFixed(1)})`,
)
