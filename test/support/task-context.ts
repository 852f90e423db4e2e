import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  makeOrderId,
  PipelineId,
  PROTOCOL_VERSION,
  type TaskContext,
  TaskOrder,
  type TaskSettings,
} from '../../core/domain/index.ts'
import { createMemoryStore, type MemoryStore } from '../../transport/memory/index.ts'

/** A TaskContext for a task test: an in-memory store, recorded progress and log lines, an abort handle. */
export interface TestTaskContext extends TaskContext {
  store: MemoryStore
  /** Every progress call, in order. */
  progressCalls: { done: number; total: number; unit: string }[]
  /** Every log line as `<level> <msg>`, e.g. `warn HTTP 503`. */
  logs: string[]
  /** Aborts `signal`, as a cancelled order would. */
  controller: AbortController
}

/** What a test may set; the rest has defaults. */
export interface TestTaskContextOptions extends Partial<TaskSettings> {
  /** The order's arguments (default none). */
  args?: unknown[]
  /** A store to share between contexts (default a fresh `createMemoryStore()`). */
  store?: MemoryStore
}

/**
 * Makes a context for one run of task `call`: a TaskOrder for unit pipeline-1, step 0, shard 0,
 * attempt 1; settings `dataDir` (default a fresh temp folder), `allowedRoots` (default none),
 * `workerId` (default `worker-1`).
 */
export function makeTaskContext(call: string, options: TestTaskContextOptions = {}): TestTaskContext {
  const controller = new AbortController()
  const progressCalls: TestTaskContext['progressCalls'] = []
  const logs: string[] = []
  const line = (level: string) => (msg: string) => void logs.push(`${level} ${msg}`)
  const unitRef = { pipelineId: PipelineId.parse('pipeline-1'), step: 0, shard: 0, attempt: 1 }
  return {
    store: options.store ?? createMemoryStore(),
    signal: controller.signal,
    controller,
    progress: (done, total, unit) => void progressCalls.push({ done, total, unit }),
    log: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    order: TaskOrder.parse({
      type: 'TaskOrder',
      v: PROTOCOL_VERSION,
      orderId: makeOrderId(unitRef),
      ...unitRef,
      call,
      version: 1,
      args: options.args ?? [],
      input: null,
      deadline: '2030-01-01T00:00:00.000Z',
    }),
    settings: {
      dataDir: options.dataDir ?? mkdtempSync(join(tmpdir(), 'banzai-task-')),
      allowedRoots: options.allowedRoots ?? [],
      workerId: options.workerId ?? 'worker-1',
    },
    progressCalls,
    logs,
  }
}
