import type { PipelineId, PipelineState } from '../../domain/index.ts'

/**
 * Which live pipelines have a step joined to a leader (single flight, `StepJoined`), so that a
 * leader's ending looks at its followers only, not at every live pipeline. Entries may be stale
 * (a follower settled or gone): readers check the follower's state.
 */
export class FollowerIndex {
  private readonly byLeader = new Map<PipelineId, Set<PipelineId>>()

  /** Notes that `follower` has a step joined to `leader`. */
  add(leader: PipelineId, follower: PipelineId): void {
    let followers = this.byLeader.get(leader)
    if (!followers) this.byLeader.set(leader, (followers = new Set()))
    followers.add(follower)
  }

  /** Notes every joined step of a restored pipeline. */
  addJoined(follower: PipelineId, state: PipelineState): void {
    for (const step of state.steps)
      if (step.status === 'joined' && step.leader) this.add(step.leader, follower)
  }

  /** The pipelines noted as following `leader` (a copy: settling may change the index). */
  of(leader: PipelineId): PipelineId[] {
    return [...(this.byLeader.get(leader) ?? [])]
  }

  /** Drops `follower` from `leader`'s followers (it has no step joined to it any more). */
  drop(leader: PipelineId, follower: PipelineId): void {
    const followers = this.byLeader.get(leader)
    if (!followers) return
    followers.delete(follower)
    if (followers.size === 0) this.byLeader.delete(leader)
  }
}
