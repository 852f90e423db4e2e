import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../domain/index.ts'

/** The engine's settings; every one is also a flag and a BANZAI_* variable (see README). */
export interface MonitorSettings {
  /** How long a unit's lease lasts without news from its worker, ms (BANZAI_LEASE_MS, default 5000). */
  leaseMs: number
  /**
   * A worker is live while its last heartbeat is younger than this, ms (default 2.5 s: two missed
   * heartbeats at the 1 s default interval). Past it, the worker is lost (`silent`).
   */
  workerTimeoutMs: number
  /** How often the clock is consulted for expiries, timeouts and due retries, ms (default leaseMs / 10). */
  tickMs: number
  /** Items per shard of a perItem step (BANZAI_SHARD_SIZE, default 50). */
  shardSize: number
  /** At most this many UnitProgressed events per unit and second (default 4). */
  progressPerSecond: number
  retry: RetryPolicy
  /** Prefer a worker whose node holds the unit's input (IPFS mode; default false). */
  locality: boolean
}

/** Settings with the defaults of SPEC §5. */
export function monitorSettings(overrides: Partial<MonitorSettings> = {}): MonitorSettings {
  const leaseMs = overrides.leaseMs ?? 5_000
  return {
    leaseMs,
    workerTimeoutMs: overrides.workerTimeoutMs ?? 2_500,
    tickMs: overrides.tickMs ?? Math.max(20, Math.round(leaseMs / 10)),
    shardSize: overrides.shardSize ?? 50,
    progressPerSecond: overrides.progressPerSecond ?? 4,
    retry: overrides.retry ?? DEFAULT_RETRY_POLICY,
    locality: overrides.locality ?? false,
  }
}
