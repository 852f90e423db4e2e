import type { ArgsOf, DeclarationOf, TaskName } from './catalogue/index.ts'
import type { Cid } from './cid.ts'
import type { DatasetItem } from './dataset.ts'
import type { ItemResult, LogLine, TaskOrder } from './messages.ts'
import type { Store } from './store.ts'

/** Where a task's log lines go; they travel to the monitor with the unit's reports. */
export type TaskLogger = Record<LogLine['level'], (msg: string) => void>

/** Worker-side settings a task may need. */
export interface TaskSettings {
  /** The data folder: nothing is written outside it. */
  dataDir: string
  /** Folders `file:` URLs may read from. */
  allowedRoots: string[]
  workerId: string
}

/** What a task implementation is handed besides its input and arguments (SPEC §3). */
export interface TaskContext {
  store: Store
  signal: AbortSignal
  /** Reports progress; the worker throttles what it sends. */
  progress(done: number, total: number, unit: string): void
  log: TaskLogger
  order: TaskOrder
  settings: TaskSettings
}

/** What a whole-input task returns. */
export interface TaskResult {
  output: Cid
  /** Every CID the output document references. */
  refs: Cid[]
  stats?: Record<string, number>
}

/** What a perItem task returns for one item: fields to merge onto it, and the CIDs among them. */
export interface ItemOutcome {
  fields: ItemResult
  refs: Cid[]
}

/** A whole-input task implementation, handed its arguments parsed (`Args` is the declaration's tuple). */
export interface WholeTaskImplementation<Args extends unknown[] = unknown[]> {
  kind: 'whole'
  run(input: Cid | null, args: Args, ctx: TaskContext): Promise<TaskResult>
}

/** A perItem task implementation: the worker host does the sharding and calls it once per item. */
export interface PerItemTaskImplementation<Args extends unknown[] = unknown[]> {
  kind: 'perItem'
  runItem(item: DatasetItem, args: Args, ctx: TaskContext): Promise<ItemOutcome>
}

/** A task implementation, run by workers: whole-input, or per item (the worker host does the sharding). */
export type TaskImplementation<Args extends unknown[] = unknown[]> =
  WholeTaskImplementation<Args> | PerItemTaskImplementation<Args>

/** The implementation a built-in task needs: its declared kind, its declared argument tuple. */
export type ImplementationOf<K extends TaskName> = DeclarationOf<K>['perItem'] extends true
  ? PerItemTaskImplementation<ArgsOf<K>>
  : WholeTaskImplementation<ArgsOf<K>>

/** One implementation per built-in task: a missing or mismatched one fails the type check. */
export type Implementations = { [K in TaskName]: ImplementationOf<K> }
