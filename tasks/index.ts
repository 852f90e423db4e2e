import type { TaskImplementation } from '../core/domain/index.ts'
import { fetchFestvox } from './fetch-festvox/index.ts'
import { filterLonger, filterShorter } from './filter/index.ts'
import { utilityTasks } from './utility/index.ts'

export { createWorkerHost, type WorkerHost, type WorkerHostOptions } from './worker/index.ts'

// TensorFlow.js (LEARN) and the FFT and resampler WebAssembly (EXTRACT_MFCC) load on a task's
// first order, not when a worker starts: a worker is ready in well under a second.
const loadLearn = () => import('./learn/index.ts')
const loadMfcc = () => import('./mfcc/index.ts')

/** LEARN, loaded on first use. */
const learn: TaskImplementation = {
  kind: 'whole',
  run: async (input, args, ctx) => {
    const { learn: task } = await loadLearn()
    if (task.kind !== 'whole') throw new Error('LEARN must be a whole-input task')
    return task.run(input, args, ctx)
  },
}

/** EXTRACT_MFCC, loaded on first use. */
const extractMfcc: TaskImplementation = {
  kind: 'perItem',
  runItem: async (item, args, ctx) => {
    const { extractMfcc: task } = await loadMfcc()
    if (task.kind !== 'perItem') throw new Error('EXTRACT_MFCC must be a per-item task')
    return task.runItem(item, args, ctx)
  },
}

/** Every task implementation a worker runs, by catalogue name. */
export const implementations: Record<string, TaskImplementation> = {
  FETCH_FESTVOX: fetchFestvox,
  FILTER_LONGER: filterLonger,
  FILTER_SHORTER: filterShorter,
  EXTRACT_MFCC: extractMfcc,
  LEARN: learn,
  ...utilityTasks,
}
