/** Arrival times of final notifications by id, with a promise per id for the ones still awaited. */
export class CompletionWaiter {
  private readonly arrived = new Map<string, number>()
  private readonly waiters = new Map<string, (arrivedMs: number) => void>()

  /** Notes that `id` finished, its notification having arrived at `arrivedMs` (performance.now()). */
  record(id: string, arrivedMs: number): void {
    if (this.arrived.has(id)) return
    this.arrived.set(id, arrivedMs)
    this.waiters.get(id)?.(arrivedMs)
    this.waiters.delete(id)
  }

  /** Resolves with the arrival time of `id`'s final notification (which may already have come). */
  ended(id: string): Promise<number> {
    const seen = this.arrived.get(id)
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve) => this.waiters.set(id, resolve))
  }
}
