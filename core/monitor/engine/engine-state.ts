import type { MonitorTransport } from '../../domain/index.ts'
import { EventLog } from '../event-log.ts'
import { GcRootsTable } from '../gc-roots-table.ts'
import { LeaseTable } from '../lease-table.ts'
import { PipelineTable } from '../pipeline-table.ts'
import type { MonitorSettings } from '../settings.ts'
import type { Db } from '../sqlite/open-database.ts'
import { WorkerRegistry } from '../worker-registry.ts'
import type { Clock } from './clock.ts'
import type { EngineState } from './engine-parts.ts'
import { MonotonicTimes } from './monotonic-times.ts'
import { SnapshotSchedule } from './snapshot-schedule.ts'

/** The engine's state over one database: its tables, leases, workers and no live actor yet. */
export function createEngineState(
  db: Db,
  deps: { clock: Clock; transport: MonitorTransport; settings: MonitorSettings },
): EngineState {
  const { clock, transport, settings } = deps
  return {
    actors: new Map(),
    log: new EventLog(db),
    pipelines: new PipelineTable(db),
    leases: new LeaseTable(settings.leaseMs),
    workers: new WorkerRegistry(settings.workerTimeoutMs),
    times: new MonotonicTimes(clock),
    clock,
    transport,
    settings,
    roots: new GcRootsTable(db),
    schedule: new SnapshotSchedule(),
  }
}
