import { EXTRACT_MFCC, FETCH_FESTVOX, FILTER_LONGER, FILTER_SHORTER, LEARN } from './audio-tasks.ts'
import type { DeclaredArgs, TaskDeclaration } from './declaration.ts'
import { ECHO_ITEMS, FAIL, MAKE_DATASET, NOOP, SLEEP } from './utility-tasks.ts'

export type { ArgDecl, ArgShape, ArgsOfDecls, ShapeValue } from './arg-shape.ts'
export {
  argsSchema,
  checkArgs,
  type DeclaredArgs,
  describeDeclaration,
  type TaskDeclaration,
} from './declaration.ts'

/** Every task Banzai knows, by name. */
export type Catalogue = ReadonlyMap<string, TaskDeclaration>

/** The built-in declarations, by name, each with its argument tuple and `perItem` in its type. */
export const declarations = {
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
} as const

/** The name of a built-in task. */
export type TaskName = keyof typeof declarations

/** The declaration of a built-in task. */
export type DeclarationOf<K extends TaskName> = (typeof declarations)[K]

/** The parsed arguments of a built-in task (`ArgsOf<'SLEEP'>` is `[number]`). */
export type ArgsOf<K extends TaskName> = DeclaredArgs<DeclarationOf<K>>

/** Whether `name` is a built-in task. */
export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(declarations, name)
}

/** The built-in catalogue: the audio tasks of SPEC §3 and the utility tasks. */
export const catalogue: Catalogue = new Map(Object.values(declarations).map((d) => [d.name, d]))
export {
  EXTRACT_MFCC,
  FETCH_FESTVOX,
  FILTER_LONGER,
  FILTER_SHORTER,
  LEARN,
  MEYDA_MAX_NUMCEP,
} from './audio-tasks.ts'
export { ECHO_ITEMS, FAIL, MAKE_DATASET, NOOP, SLEEP } from './utility-tasks.ts'
