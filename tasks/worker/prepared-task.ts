import {
  argsSchema,
  type Cid,
  type DatasetItem,
  declarations,
  type ImplementationOf,
  type Implementations,
  type ItemOutcome,
  type TaskContext,
  type TaskImplementation,
  type TaskName,
  type TaskResult,
  type ArgsOf,
  ValidationError,
} from '../../core/domain/index.ts'

/** An implementation with its order's arguments parsed and bound: what the order runner runs. */
export type PreparedTask =
  | { kind: 'whole'; run(input: Cid | null, ctx: TaskContext): Promise<TaskResult> }
  | { kind: 'perItem'; runItem(item: DatasetItem, ctx: TaskContext): Promise<ItemOutcome> }

/** Parses `args` once with the declaration's schema and binds them; throws ValidationError naming each fault. */
function prepare<K extends TaskName>(name: K, impl: ImplementationOf<K>, args: unknown[]): PreparedTask {
  const parsed = argsSchema(declarations[name]).safeParse(args)
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((issue) => issue.message).join('; '))
  }
  const typed: ArgsOf<K> = parsed.data
  const task: TaskImplementation<ArgsOf<K>> = impl
  return task.kind === 'whole'
    ? { kind: 'whole', run: (input, ctx) => task.run(input, typed, ctx) }
    : { kind: 'perItem', runItem: (item, ctx) => task.runItem(item, typed, ctx) }
}

/**
 * The implementation of `name` among `implementations`, prepared for an order's arguments;
 * undefined when this worker has none. Throws ValidationError when the arguments do not fit.
 */
export function prepareTask<K extends TaskName>(
  name: K,
  implementations: Partial<Implementations>,
  args: unknown[],
): PreparedTask | undefined {
  const impl = implementations[name]
  return impl === undefined ? undefined : prepare(name, impl, args)
}
