import type { DomainEvent } from '../events.ts'
import type { PipelineEffect, PipelineState } from './state.ts'

/**
 * The result of applying one event: the next state, the events that follow from it (to be
 * recorded next, in order) and the effects that need the world (carried out before those events).
 */
export interface Evolution {
  state: PipelineState
  events: DomainEvent[]
  effects: PipelineEffect[]
}

/** An evolution that only changes the state. */
export function evolved(
  state: PipelineState,
  follow: { events?: DomainEvent[]; effects?: PipelineEffect[] } = {},
): Evolution {
  return { state, events: follow.events ?? [], effects: follow.effects ?? [] }
}
