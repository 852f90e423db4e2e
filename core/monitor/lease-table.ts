import type { OrderId } from '../domain/index.ts'

/** A unit attempt out with a worker, and when its lease runs out. */
export interface Lease {
  orderId: OrderId
  pipelineId: string
  step: number
  shard: number
  attempt: number
  lane: string
  worker: string | null
  /** Monotonic deadline, ms: a wall-clock jump never expires a lease early. */
  deadline: number
  /** Its success report is being checked: it neither expires nor goes with a lost worker. */
  held?: boolean
}

/** Leases of in-flight unit attempts (memory only; rebuilt from the live machines on restart). */
export class LeaseTable {
  private readonly leases = new Map<OrderId, Lease>()
  /** Leases per worker, kept as they change: dispatch asks per unit. */
  private readonly perWorker = new Map<string, number>()

  constructor(private readonly leaseMs: number) {}

  /** Starts or renews a lease. */
  grant(lease: Omit<Lease, 'deadline'>, monotonicNow: number): void {
    this.release(lease.orderId)
    this.leases.set(lease.orderId, { ...lease, deadline: monotonicNow + this.leaseMs })
    this.count(lease.worker, 1)
  }

  /** Extends a lease on news from its worker; returns whether it exists. */
  renew(orderId: OrderId, monotonicNow: number, worker?: string): boolean {
    const lease = this.leases.get(orderId)
    if (!lease) return false
    if (lease.held !== true) lease.deadline = monotonicNow + this.leaseMs
    if (worker && lease.worker !== worker) {
      this.count(lease.worker, -1)
      lease.worker = worker
      this.count(worker, 1)
    }
    return true
  }

  /** Extends a lease only if `worker` holds it (it reported receiving the order); returns whether it did. */
  renewHeld(orderId: OrderId, monotonicNow: number, worker: string): boolean {
    const lease = this.leases.get(orderId)
    if (!lease || lease.worker !== worker) return false
    if (lease.held !== true) lease.deadline = monotonicNow + this.leaseMs
    return true
  }

  /** Holds a lease while its success report is checked: it expires no more until released. */
  hold(orderId: OrderId): void {
    const lease = this.leases.get(orderId)
    if (!lease) return
    lease.held = true
    lease.deadline = Number.POSITIVE_INFINITY
  }

  /** Ends a lease (final report, cancel, expiry). */
  release(orderId: OrderId): void {
    const lease = this.leases.get(orderId)
    if (!lease) return
    this.leases.delete(orderId)
    this.count(lease.worker, -1)
  }

  /** Units in flight with a worker. */
  inFlightFor(worker: string): number {
    return this.perWorker.get(worker) ?? 0
  }

  /** The leases a worker holds. */
  heldBy(worker: string): Lease[] {
    if (!this.perWorker.has(worker)) return []
    return [...this.leases.values()].filter((l) => l.worker === worker)
  }

  /** The worker an order was leased to, if any. */
  workerOf(orderId: OrderId): string | null {
    return this.leases.get(orderId)?.worker ?? null
  }

  private count(worker: string | null, delta: number): void {
    if (worker === null) return
    const n = (this.perWorker.get(worker) ?? 0) + delta
    if (n <= 0) this.perWorker.delete(worker)
    else this.perWorker.set(worker, n)
  }

  /** Leases past their deadline. */
  expired(monotonicNow: number): Lease[] {
    return [...this.leases.values()].filter((l) => l.deadline <= monotonicNow)
  }

  /** Units in flight on a lane. */
  inFlightOn(lane: string): number {
    let n = 0
    for (const l of this.leases.values()) if (l.lane === lane) n++
    return n
  }

  /** Units in flight on every lane. */
  size(): number {
    return this.leases.size
  }

  /** The orders out with workers now. */
  orderIds(): OrderId[] {
    return [...this.leases.keys()]
  }

  /** Whether an order is leased. */
  has(orderId: OrderId): boolean {
    return this.leases.has(orderId)
  }
}
