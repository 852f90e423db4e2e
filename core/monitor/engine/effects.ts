import { assertNever, type MonitorTransport, type PipelineEffect } from '../../domain/index.ts'
import type { LeaseTable } from '../lease-table.ts'
import type { Actor } from './actor.ts'
import { completeStep, type StepCompleteDeps } from './step-complete.ts'
import { startStep, type StepStartDeps } from './step-start.ts'
import type { Tick } from './tick.ts'

/** What carrying out the machine's effects uses. */
export interface EffectDeps {
  starting: StepStartDeps
  completing: StepCompleteDeps
  leases: LeaseTable
  transport: MonitorTransport
}

/** Carries out one effect of a pipeline machine (SPEC §5: the machine decides, the log records). */
export async function carryOutEffect(
  deps: EffectDeps,
  tick: Tick,
  actor: Actor,
  effect: PipelineEffect,
): Promise<void> {
  switch (effect.type) {
    case 'StartStep':
      return startStep(deps.starting, tick, actor, effect.step, effect.input, effect.inputs)
    case 'CompleteStep':
      return completeStep(deps.completing, tick, actor, effect.step)
    case 'CancelOrders': {
      const orderIds = effect.orderIds
      tick.afterCommit.push(() => {
        for (const orderId of orderIds) {
          deps.leases.release(orderId)
          deps.transport.publish({ type: 'CancelOrder', orderId })
        }
      })
      return
    }
    default:
      return assertNever(effect, 'effect')
  }
}
