import { type Catalogue, type Cid, inputOutputs, type PipelineId, type Store } from '../../domain/index.ts'
import { stepMemoKey } from '../memo-key.ts'
import { writeShardLists } from './shard-lists.ts'
import type { MemoTable } from '../memo-table.ts'
import type { Actor, Actors } from './actor.ts'
import type { ReadManifest } from './manifest-cache.ts'
import type { FollowerIndex } from './follower-index.ts'
import type { RecordEvent } from './record-event.ts'
import { assembleInputs } from './step-inputs.ts'
import type { MemoChecks, MemoVerdict, StartPlan } from './memo-check.ts'
import type { Tick } from './tick.ts'

/** What starting a step (and settling the steps that joined one) uses. */
export interface StepStartDeps {
  catalogue: Catalogue
  store: Store
  memo: MemoTable
  actors: Actors
  /** Items per shard of a perItem step. */
  shardSize: number
  readManifest: ReadManifest
  recordEvent: RecordEvent
  /** Which pipelines have steps joined to which leader. */
  followers: FollowerIndex
  /** Memo hits being checked against the store, outside the tick. */
  memoChecks: MemoChecks
}

/** The live pipeline (other than `self`) whose step with this memo key is running: the single-flight leader. */
export function findLeader(
  actors: Actors,
  memoKey: string,
  self: PipelineId,
): { pipelineId: PipelineId; step: number } | null {
  for (const actor of actors.values()) {
    if (actor.id === self || actor.snapshot.context.status !== 'active' || !actor.snapshot.context.cache)
      continue
    const step = actor.snapshot.context.steps.find((s) => s.status === 'running' && s.memoKey === memoKey)
    if (step) return { pipelineId: actor.id, step: step.index }
  }
  return null
}

/**
 * Starts a step: a memo hit is checked against the store outside the tick (`MemoChecks`; the
 * step stays pending until its verdict, `decideMemoCheck`), an identical running step is joined
 * (`StepJoined`, single flight), anything else `StepStarted` with its shards.
 */
export async function startStep(
  deps: StepStartDeps,
  tick: Tick,
  actor: Actor,
  step: number,
  input: Cid | null,
  inputs?: readonly Cid[],
): Promise<void> {
  const state = actor.snapshot.context
  const task = state.tasks[step]
  const decl = task ? deps.catalogue.get(task.call) : undefined
  if (!task || !decl) {
    await deps.recordEvent(tick, actor.id, {
      type: 'StepFailed',
      data: { step, error: `task ${task?.call ?? step} is not in this monitor's catalogue` },
    })
    return
  }
  let taskInput = decl.needsInput ? input : null
  // Several inputs (SPEC §2 v3): one concatenated dataset, and a key over every input in order.
  const several = decl.needsInput && inputs && inputs.length > 1 ? [...inputs] : undefined
  if (several) {
    const assembled = await assembleInputs(deps, state.tasks, step, several)
    if ('error' in assembled) {
      await deps.recordEvent(tick, actor.id, { type: 'StepFailed', data: { step, error: assembled.error } })
      return
    }
    taskInput = assembled.input
  }
  const memoKey = stepMemoKey({
    call: task.call,
    version: task.version,
    args: task.args,
    input: taskInput,
    ...(several ? { inputs: several } : {}),
  })
  const plan: StartPlan = { step, input: taskInput, ...(several ? { inputs: several } : {}), memoKey }
  if (state.cache && !decl.external) {
    const hit = deps.memo.get(memoKey)
    if (hit) {
      // Walking a 20k-item dataset would hold the tick: the verdict comes back as a mailbox input.
      deps.memoChecks.begin(actor.id, plan, hit)
      return
    }
  }
  await startFresh(deps, tick, actor, plan)
}

/**
 * Records the verdict of a memo hit's store check (a mailbox input): `StepCacheHit` when the
 * output can be read, else the step starts as on a miss. A verdict for a step that is no longer
 * waiting for it (the pipeline was cancelled, deleted or ended, the check superseded) is dropped;
 * one that spans a deletion through the monitor's store (GC), or whose memo row changed, is
 * looked up and checked again.
 */
export async function decideMemoCheck(deps: StepStartDeps, tick: Tick, verdict: MemoVerdict): Promise<void> {
  const { current, stale } = deps.memoChecks.end(verdict)
  const actor = deps.actors.get(verdict.pipelineId)
  const state = actor?.snapshot.context
  const { plan, hit } = verdict
  if (!current || !actor || state?.status !== 'active') return
  if (state.steps[plan.step]?.status !== 'pending' || inputOutputs(state, plan.step) === null) return
  const now = deps.memo.get(plan.memoKey)
  const isSameHit = now !== null && now.output === hit.output && now.refs.join() === hit.refs.join()
  if (verdict.readable && isSameHit && !stale) {
    await deps.recordEvent(tick, actor.id, {
      type: 'StepCacheHit',
      data: {
        step: plan.step,
        output: hit.output,
        refs: hit.refs,
        from: { pipelineId: hit.pipelineId as PipelineId, step: hit.step },
      },
    })
    return
  }
  if (now !== null && (stale || !isSameHit)) {
    deps.memoChecks.begin(actor.id, plan, now)
    return
  }
  await startFresh(deps, tick, actor, plan)
}

/**
 * After a restart, starts again every step of a live pipeline that waited for a memo check when
 * the monitor stopped (nothing of a check is logged: such a step is pending with every input
 * succeeded).
 */
export async function resumePendingStarts(deps: StepStartDeps, tick: Tick): Promise<void> {
  for (const actor of [...deps.actors.values()]) {
    for (const step of actor.snapshot.context.steps) {
      const state = actor.snapshot.context
      if (state.status !== 'active' || step.status !== 'pending') continue
      if (deps.memoChecks.isChecking(actor.id, step.index)) continue
      const outputs = inputOutputs(state, step.index)
      if (outputs) await startStep(deps, tick, actor, step.index, outputs[0] ?? null, outputs)
    }
  }
}

/** Starts a step that has no readable memo hit: joins an identical running step, else `StepStarted`. */
async function startFresh(deps: StepStartDeps, tick: Tick, actor: Actor, plan: StartPlan): Promise<void> {
  const state = actor.snapshot.context
  const { step, input: taskInput, memoKey } = plan
  const decl = deps.catalogue.get(state.tasks[step]!.call)!
  const graph = plan.inputs ? { inputs: plan.inputs } : {}
  if (state.cache) {
    const leader = findLeader(deps.actors, memoKey, actor.id)
    if (leader) {
      deps.followers.add(leader.pipelineId, actor.id)
      await deps.recordEvent(tick, actor.id, {
        type: 'StepJoined',
        data: { step, leader: leader.pipelineId, memoKey },
      })
      return
    }
  }
  if (!decl.perItem) {
    await deps.recordEvent(tick, actor.id, {
      type: 'StepStarted',
      data: { step, input: taskInput, ...graph, shards: 1, memoKey },
    })
    return
  }
  let shardPlan: { itemCount: number; shards: number; shardLists: Cid }
  try {
    if (taskInput === null)
      throw new Error('this task needs a dataset as input, and the step before produced none')
    shardPlan = await writeShardLists(deps, taskInput)
  } catch (error) {
    await deps.recordEvent(tick, actor.id, {
      type: 'StepFailed',
      data: { step, error: `cannot read the input dataset: ${(error as Error).message}` },
    })
    return
  }
  const { itemCount, shards, shardLists } = shardPlan
  await deps.recordEvent(tick, actor.id, {
    type: 'StepStarted',
    data: {
      step,
      input: taskInput,
      ...graph,
      shards,
      memoKey,
      itemCount,
      shardSize: deps.shardSize,
      shardLists,
    },
  })
}

/**
 * After a leader's step ended (or its pipeline did), settles the steps that joined it: a cache
 * hit when it succeeded, a fresh start otherwise. Steps whose leader still runs keep waiting.
 */
export async function settleFollowers(deps: StepStartDeps, tick: Tick, leaderId: PipelineId): Promise<void> {
  const leader = deps.actors.get(leaderId)
  for (const followerId of deps.followers.of(leaderId)) {
    const follower = deps.actors.get(followerId)
    const state = follower?.snapshot.context
    if (!follower || state?.status !== 'active') {
      deps.followers.drop(leaderId, followerId)
      continue
    }
    for (const step of state.steps) {
      if (step.status !== 'joined' || step.leader !== leaderId) continue
      const led = leader?.snapshot.context.steps.find((s) => s.memoKey === step.memoKey)
      if (
        led &&
        (led.status === 'running' || led.status === 'joined') &&
        leader?.snapshot.context.status === 'active'
      )
        continue
      if (led?.status === 'succeeded' && led.output) {
        await deps.recordEvent(tick, follower.id, {
          type: 'StepCacheHit',
          data: {
            step: step.index,
            output: led.output,
            refs: led.refs,
            from: { pipelineId: leaderId, step: led.index },
          },
        })
      } else {
        const outputs = inputOutputs(state, step.index) ?? []
        await startStep(deps, tick, follower, step.index, outputs[0] ?? null, outputs)
      }
    }
    const isFollowing = follower.snapshot.context.steps.some(
      (s) => s.status === 'joined' && s.leader === leaderId,
    )
    if (!isFollowing) deps.followers.drop(leaderId, followerId)
  }
}
