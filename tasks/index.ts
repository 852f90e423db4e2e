import type { Implementations } from '../core/domain/index.ts'
import { fetchFestvox } from './fetch-festvox/index.ts'
import { filterLonger, filterShorter } from './filter/index.ts'
import { learn } from './learn/index.ts'
import { extractMfcc } from './mfcc/index.ts'
import { utilityTasks } from './utility/index.ts'

export { createWorkerHost, type WorkerHost, type WorkerHostOptions } from './worker/index.ts'

/** Every task implementation a worker runs, by catalogue name: one per declaration, of its kind and arguments. */
export const implementations: Implementations = {
  FETCH_FESTVOX: fetchFestvox,
  FILTER_LONGER: filterLonger,
  FILTER_SHORTER: filterShorter,
  EXTRACT_MFCC: extractMfcc,
  LEARN: learn,
  ...utilityTasks,
}
