import { type Catalogue, type Cid, inputOutputs, type PipelineId, type Store } from '../../domain/index.ts'
import { stepMemoKey } from '../memo-key.ts'
import { writeShardLists } from './shard-lists.ts'
import type { MemoTable } from '../memo-table.ts'
import type { Actor, Actors } from './actor.ts'
import type { ReadManifest } from './manifest-cache.ts'
import type { FollowerIndex } from './follower-index.ts'
import type { RecordEvent } from './record-event.ts'
import { assembleInputs } from './step-inputs.ts'
import { isReadable } from './output-check.ts'
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
 * Starts a step: a memo hit becomes `StepCacheHit`, an identical running step is joined
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
  const graph = several ? { inputs: several } : {}
  const memoKey = stepMemoKey({
    call: task.call,
    version: task.version,
    args: task.args,
    input: taskInput,
    ...graph,
  })
  if (state.cache) {
    if (!decl.external) {
      const hit = deps.memo.get(memoKey)
      if (hit && (await isReadable(deps.store, hit.output, hit.refs, deps.readManifest))) {
        await deps.recordEvent(tick, actor.id, {
          type: 'StepCacheHit',
          data: {
            step,
            output: hit.output,
            refs: hit.refs,
            from: { pipelineId: hit.pipelineId as PipelineId, step: hit.step },
          },
        })
        return
      }
    }
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
