import { assertNever, type PipelineCommand, TaskOrder } from '../../domain/index.ts'
import type { Actor, EngineContext } from './context.ts'
import { completeStep } from './step-complete.ts'
import { startStep } from './step-start.ts'
import { Tick } from './tick.ts'

/** Builds the order of a dispatched unit from the machine's state and what dispatch prepared. */
function buildOrder(
  ctx: EngineContext,
  tick: Tick,
  actor: Actor,
  command: PipelineCommand & { type: 'SendOrder' },
): TaskOrder {
  const state = actor.snapshot.context
  const task = state.tasks[command.step]!
  const step = state.steps[command.step]!
  const unit = step.units.find((u) => u.shard === command.shard)!
  const startedAt = step.startedAt ? Date.parse(step.startedAt) : ctx.clock.wall()
  const prepared = tick.orders.get(command.orderId)
  return TaskOrder.parse({
    type: 'TaskOrder',
    v: 1,
    orderId: command.orderId,
    pipelineId: state.id,
    step: command.step,
    shard: command.shard,
    attempt: command.attempt,
    call: task.call,
    version: task.version,
    args: task.args,
    input: step.input,
    ...(unit.items ? { items: unit.items } : {}),
    ...(prepared?.known ? { known: prepared.known } : {}),
    deadline: new Date(startedAt + task.timeoutMs).toISOString(),
  })
}

/** Carries out one command of a pipeline machine (SPEC §5: the machine decides, the log records). */
export async function executeCommand(
  ctx: EngineContext,
  tick: Tick,
  actor: Actor,
  command: PipelineCommand,
): Promise<void> {
  switch (command.type) {
    case 'StartStep':
      return startStep(ctx, tick, actor, command.step, command.input)
    case 'SendOrder': {
      const order = buildOrder(ctx, tick, actor, command)
      tick.afterCommit.push(() => {
        ctx.leases.grant(
          {
            orderId: order.orderId,
            pipelineId: actor.id,
            step: order.step,
            shard: order.shard,
            attempt: order.attempt,
            lane: command.lane,
            worker: null,
          },
          ctx.clock.monotonic(),
        )
        ctx.transport.sendOrder(command.lane, order)
      })
      return
    }
    case 'CancelOrders': {
      const orderIds = command.orderIds
      tick.afterCommit.push(() => {
        for (const orderId of orderIds) {
          ctx.leases.release(orderId)
          ctx.transport.publish({ type: 'CancelOrder', orderId })
        }
      })
      return
    }
    case 'ScheduleRetry': {
      const notBefore = new Date(ctx.clock.wall() + command.delayMs).toISOString()
      return ctx.emit(tick, actor.id, {
        type: 'UnitRetryScheduled',
        data: { step: command.step, shard: command.shard, attempt: command.attempt, notBefore },
      })
    }
    case 'FailStep':
      return ctx.emit(tick, actor.id, {
        type: 'StepFailed',
        data: { step: command.step, error: command.error },
      })
    case 'CompleteStep':
      return completeStep(ctx, tick, actor, command.step)
    case 'FinishPipeline':
      return ctx.emit(tick, actor.id, { type: 'PipelineSucceeded', data: { output: command.output } })
    case 'FailPipeline':
      return ctx.emit(tick, actor.id, { type: 'PipelineFailed', data: { error: command.error } })
    default:
      return assertNever(command, 'command')
  }
}
