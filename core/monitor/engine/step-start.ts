import type { Cid, PipelineId } from '../../domain/index.ts'
import { stepMemoKey } from '../memo-key.ts'
import type { Actor, EngineContext } from './context.ts'
import type { Tick } from './tick.ts'

/** Whether the store still holds an output and every CID it references (a memo hit counts only then). */
export async function isReadable(ctx: EngineContext, output: Cid, refs: readonly Cid[]): Promise<boolean> {
  try {
    if (!(await ctx.store.has(output))) return false
    for (const ref of refs) if (!(await ctx.store.has(ref))) return false
    return true
  } catch {
    return false // a store that cannot answer (an IPFS node down) gives no hit: the step runs
  }
}

/** The live pipeline (other than `self`) whose step with this memo key is running: the single-flight leader. */
export function findLeader(
  ctx: EngineContext,
  memoKey: string,
  self: PipelineId,
): { pipelineId: PipelineId; step: number } | null {
  for (const actor of ctx.actors.values()) {
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
  ctx: EngineContext,
  tick: Tick,
  actor: Actor,
  step: number,
  input: Cid | null,
): Promise<void> {
  const state = actor.snapshot.context
  const task = state.tasks[step]
  const decl = task ? ctx.catalogue.get(task.call) : undefined
  if (!task || !decl) {
    await ctx.emit(tick, actor.id, {
      type: 'StepFailed',
      data: { step, error: `task ${task?.call ?? step} is not in this monitor's catalogue` },
    })
    return
  }
  const taskInput = decl.needsInput ? input : null
  const memoKey = stepMemoKey({ call: task.call, version: task.version, args: task.args, input: taskInput })
  if (state.cache) {
    if (!decl.external) {
      const hit = ctx.memo.get(memoKey)
      if (hit && (await isReadable(ctx, hit.output, hit.refs))) {
        await ctx.emit(tick, actor.id, {
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
    const leader = findLeader(ctx, memoKey, actor.id)
    if (leader) {
      await ctx.emit(tick, actor.id, {
        type: 'StepJoined',
        data: { step, leader: leader.pipelineId, memoKey },
      })
      return
    }
  }
  if (!decl.perItem) {
    await ctx.emit(tick, actor.id, {
      type: 'StepStarted',
      data: { step, input: taskInput, shards: 1, memoKey },
    })
    return
  }
  let itemCount: number
  try {
    if (taskInput === null)
      throw new Error('this task needs a dataset as input, and the step before produced none')
    itemCount = (await ctx.manifest(taskInput)).items.length
  } catch (error) {
    await ctx.emit(tick, actor.id, {
      type: 'StepFailed',
      data: { step, error: `cannot read the input dataset: ${(error as Error).message}` },
    })
    return
  }
  const shardSize = ctx.settings.shardSize
  const shards = Math.max(1, Math.ceil(itemCount / shardSize))
  await ctx.emit(tick, actor.id, {
    type: 'StepStarted',
    data: { step, input: taskInput, shards, memoKey, itemCount, shardSize },
  })
}

/**
 * After a leader's step ended (or its pipeline did), settles the steps that joined it: a cache
 * hit when it succeeded, a fresh start otherwise. Steps whose leader still runs keep waiting.
 */
export async function settleFollowers(ctx: EngineContext, tick: Tick, leaderId: PipelineId): Promise<void> {
  const leader = ctx.actors.get(leaderId)
  for (const follower of [...ctx.actors.values()]) {
    const state = follower.snapshot.context
    if (state.status !== 'active') continue
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
        await ctx.emit(tick, follower.id, {
          type: 'StepCacheHit',
          data: {
            step: step.index,
            output: led.output,
            refs: led.refs,
            from: { pipelineId: leaderId, step: led.index },
          },
        })
      } else {
        await startStep(
          ctx,
          tick,
          follower,
          step.index,
          step.index === 0 ? null : (state.steps[step.index - 1]?.output ?? null),
        )
      }
    }
  }
}
