import { type OrderId, parseOrderId, type UnitRef } from '../../domain/index.ts'
import type { Actor, Actors } from './actor.ts'

/**
 * The unit an order's lease is for, with its live pipeline, while that very attempt is still out
 * on a worker (dispatched or running); null once it was decided, retried or its pipeline ended.
 */
export function findLeasedUnit(
  actors: Actors,
  orderId: OrderId,
): { actor: Actor; unit: UnitRef; worker: string | null } | null {
  const unit = parseOrderId(orderId)
  const actor = actors.get(unit.pipelineId)
  const current = actor?.snapshot.context.steps[unit.step]?.units.find((u) => u.shard === unit.shard)
  if (!actor || !current || current.attempt !== unit.attempt) return null
  if (current.status !== 'dispatched' && current.status !== 'running') return null
  return { actor, unit, worker: current.worker }
}
