import { EXTRACT_MFCC, FETCH_FESTVOX, FILTER_LONGER, FILTER_SHORTER, LEARN } from './audio-tasks.ts'
import type { TaskDeclaration } from './declaration.ts'
import { ECHO_ITEMS, FAIL, MAKE_DATASET, NOOP, SLEEP } from './utility-tasks.ts'

export type { ArgDecl, ArgShape } from './arg-shape.ts'
export { checkArgs, type DataKind, describeDeclaration, type TaskDeclaration } from './declaration.ts'

/** Every task Banzai knows, by name. */
export type Catalogue = ReadonlyMap<string, TaskDeclaration>

/** The built-in catalogue: the audio tasks of SPEC §3 and the utility tasks. */
export const catalogue: Catalogue = new Map(
  [
    FETCH_FESTVOX,
    FILTER_LONGER,
    FILTER_SHORTER,
    EXTRACT_MFCC,
    LEARN,
    NOOP,
    SLEEP,
    FAIL,
    MAKE_DATASET,
    ECHO_ITEMS,
  ].map((d) => [d.name, d]),
)
export {
  EXTRACT_MFCC,
  FETCH_FESTVOX,
  FILTER_LONGER,
  FILTER_SHORTER,
  LEARN,
  MEYDA_MAX_NUMCEP,
} from './audio-tasks.ts'
export { ECHO_ITEMS, FAIL, MAKE_DATASET, NOOP, SLEEP } from './utility-tasks.ts'
