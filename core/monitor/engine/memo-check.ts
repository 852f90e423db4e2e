import type { Cid, PipelineId, Store } from '../../domain/index.ts'
import type { MemoEntry } from '../memo-table.ts'
import type { ReadManifest } from './manifest-cache.ts'
import { isReadable } from './output-check.ts'

/** A step start decided up to its memo lookup: what the verdict of its check is applied to. */
export interface StartPlan {
  step: number
  /** The task's input (several inputs: their concatenation). */
  input: Cid | null
  /** A step with several inputs: their CIDs in order. */
  inputs?: Cid[]
  memoKey: string
}

/** The verdict of a memo hit's store check, handed back to the engine as a mailbox input. */
export interface MemoVerdict {
  pipelineId: PipelineId
  plan: StartPlan
  hit: MemoEntry
  readable: boolean
  /** Which check this is: a verdict of a check superseded since is dropped. */
  token: number
}

interface Running {
  token: number
  /** The store's deletion count when the check began. */
  deletions: number
}

/**
 * The memo hits being checked against the store, outside the engine's ticks (SPEC §4: a hit counts
 * only if its output and everything it references can be read; a 20k-item dataset is walked in
 * batches with yields). The step stays `pending` meanwhile; the tick that receives the verdict
 * records `StepCacheHit` or starts the step. Nothing of a check is kept: after a restart the
 * pending step is started again from the log, and checked again.
 */
export class MemoChecks {
  private readonly running = new Map<string, Running>()
  private nextToken = 1

  /**
   * `onVerdict` hands a verdict to the engine (a mailbox input); `deletions` counts the deletions
   * made through the engine's store (a verdict older than one is checked again).
   */
  constructor(
    private readonly store: Store,
    private readonly onVerdict: (verdict: MemoVerdict) => void,
    private readonly deletions: () => number,
    private readonly readManifest?: ReadManifest,
  ) {}

  /** Starts checking a memo hit for a pipeline's step (a check of the same step under way is superseded). */
  begin(pipelineId: PipelineId, plan: StartPlan, hit: MemoEntry): void {
    const token = this.nextToken++
    this.running.set(key(pipelineId, plan.step), { token, deletions: this.deletions() })
    void isReadable(this.store, hit.output, hit.refs, this.readManifest)
      .catch(() => false)
      .then((readable) => this.onVerdict({ pipelineId, plan, hit, readable, token }))
  }

  /**
   * Ends the check a verdict comes from: `current` is false for a superseded check (drop its
   * verdict), `stale` is true when a blob was deleted while it ran (check again).
   */
  end(verdict: MemoVerdict): { current: boolean; stale: boolean } {
    const k = key(verdict.pipelineId, verdict.plan.step)
    const running = this.running.get(k)
    if (running?.token !== verdict.token) return { current: false, stale: false }
    this.running.delete(k)
    return { current: true, stale: running.deletions !== this.deletions() }
  }

  /** Whether a step's memo hit is being checked. */
  isChecking(pipelineId: PipelineId, step: number): boolean {
    return this.running.has(key(pipelineId, step))
  }
}

function key(pipelineId: PipelineId, step: number): string {
  return `${pipelineId}:${step}`
}
