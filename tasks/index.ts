import type { TaskImplementation } from '../core/domain/index.ts'
import { fetchFestvox } from './fetch-festvox/index.ts'
import { filterLonger, filterShorter } from './filter/index.ts'
import { learn } from './learn/index.ts'
import { extractMfcc } from './mfcc/index.ts'
import { utilityTasks } from './utility/index.ts'

export { createWorkerHost, type WorkerHost, type WorkerHostOptions } from './worker/index.ts'

/** Every task implementation a worker runs, by catalogue name. */
export const implementations: Record<string, TaskImplementation> = {
  FETCH_FESTVOX: fetchFestvox,
  FILTER_LONGER: filterLonger,
  FILTER_SHORTER: filterShorter,
  EXTRACT_MFCC: extractMfcc,
  LEARN: learn,
  ...utilityTasks,
}
