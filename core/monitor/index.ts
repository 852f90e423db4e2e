export { openDatabase, type Db } from './sqlite/open-database.ts'
export { isDiskFull, SpaceReserve, RESERVE_BYTES } from './sqlite/space-reserve.ts'
export {
  acquireDataFolderLock,
  type DataFolderLock,
  LockHolder,
  LOCK_FILE,
  HOLDER_FILE,
} from './sqlite/data-folder-lock.ts'
export { EventLog } from './event-log.ts'
export { PipelineTable, CHECKPOINT_EVERY } from './pipeline-table.ts'
export { MemoTable } from './memo-table.ts'
export { TaskLogTable } from './task-log-table.ts'
export { monitorSettings, type MonitorSettings } from './settings.ts'
export { Monitor, type MonitorDeps } from './engine/monitor.ts'
export type { Clock } from './engine/clock.ts'
export type { EventCounts } from './engine/counters.ts'
export type {
  MonitorPort,
  MonitorReadModels,
  MonitorStats,
  SubmitOptions,
  Submission,
} from './monitor-port.ts'
export { MonitorQueries } from './queries.ts'
export { replayFromZero, checkIntegrity, type IntegrityReport } from './replay.ts'
export { canonicalJson, stepMemoKey, itemMemoKey } from './memo-key.ts'
export { collectGarbage, referencedCids, type GcReport } from './garbage-collection.ts'
export {
  type ClusterIdentity,
  createClusterIdentity,
  loadClusterIdentity,
  CLUSTER_SECRET_FILE,
} from './cluster-identity.ts'
