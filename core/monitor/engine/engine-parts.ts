import type { Catalogue, MonitorTransport, OrderSucceeded, Store } from '../../domain/index.ts'
import type { EventLog } from '../event-log.ts'
import type { ClusterIdentity } from '../cluster-identity.ts'
import type { GcRootsTable } from '../gc-roots-table.ts'
import type { LeaseTable } from '../lease-table.ts'
import { MemoTable } from '../memo-table.ts'
import type { PipelineTable } from '../pipeline-table.ts'
import type { MonitorSettings } from '../settings.ts'
import type { Db } from '../sqlite/open-database.ts'
import { type SpaceReserve, spaceRefusal } from '../sqlite/space-reserve.ts'
import { TaskLogTable } from '../task-log-table.ts'
import type { WorkerRegistry } from '../worker-registry.ts'
import type { Actors } from './actor.ts'
import type { Clock } from './clock.ts'
import type { ClockTickDeps } from './clock-tick.ts'
import type { CommitDeps } from './commit.ts'
import type { DeleteDeps } from './delete-request.ts'
import type { DispatchDeps } from './dispatch.ts'
import { OutputProducers } from './dispatch-choice.ts'
import type { WorkerLostDeps } from './dispatch-worker-lost.ts'
import { carryOutEffect, type EffectDeps } from './effects.ts'
import { createManifestCache } from './manifest-cache.ts'
import type { MonotonicTimes } from './monotonic-times.ts'
import type { SnapshotSchedule } from './snapshot-schedule.ts'
import { FollowerIndex } from './follower-index.ts'
import { ReadableBlobs } from './readable-blobs.ts'
import { createEventRecorder, type RecordEvent } from './record-event.ts'
import { OutputChecks } from './output-check.ts'
import { MemoChecks, type MemoVerdict } from './memo-check.ts'
import { createReportHandler, type ReportHandler } from './reports.ts'
import type { RequestDeps } from './requests.ts'
import type { RestoreDeps } from './restore.ts'
import { createShardListsCache } from './shard-lists.ts'
import { settleFollowers, type StepStartDeps } from './step-start.ts'

/** The state the engine's parts share: the live actors, the tables, the leases, the clock. */
export interface EngineState {
  actors: Actors
  log: EventLog
  pipelines: PipelineTable
  leases: LeaseTable
  workers: WorkerRegistry
  times: MonotonicTimes
  clock: Clock
  transport: MonitorTransport
  settings: MonitorSettings
  roots: GcRootsTable
  /** When snapshot rows are written, and the committed details of rows that lag. */
  schedule: SnapshotSchedule
}

/** What each part of a tick is handed: only what it uses. */
export interface EngineParts {
  committing: CommitDeps
  restoring: RestoreDeps
  requests: RequestDeps
  clockTick: ClockTickDeps
  dispatching: DispatchDeps
  deleting: DeleteDeps
  memo: MemoTable
  workerLost: WorkerLostDeps
  handleReport: ReportHandler
  /** Success reports being checked against the store. */
  checks: OutputChecks
  /** Starting steps; memo hits are checked against the store outside the tick. */
  starting: StepStartDeps
  /** The engine's store: deletions through it forget the outputs known readable. */
  store: Store
}

/**
 * Wires the engine's parts over its state. Every part records events through one
 * `recordEvent`, which carries out the machine's effects through the step parts.
 */
export function wireEngineParts(
  state: EngineState,
  deps: {
    db: Db
    store: Store
    catalogue: Catalogue
    newPipelineId: () => string
    committedSeq: () => number
    identity: ClusterIdentity
    /** Problems the engine survives (a damaged snapshot row rebuilt). */
    warn: (message: string) => void
    countRefused: (kind: 'cluster' | 'token' | 'worker') => void
    onRefused: (workerId: string, reason: string) => void
    /** Hands the verdict of a success report's store check back to the engine (a mailbox input). */
    postVerdict: (message: OrderSucceeded, readable: boolean) => void
    /** Hands the verdict of a memo hit's store check back to the engine (a mailbox input). */
    postMemoVerdict: (verdict: MemoVerdict) => void
    /** Room released when the disk fills (none: a full disk refuses every write). */
    reserve?: SpaceReserve
  },
): EngineParts {
  const { actors, leases, workers, times, clock, transport, settings } = state
  const { db, catalogue } = deps
  const readable = new ReadableBlobs(deps.store)
  const store = readable.forgetfulStore()
  const memo = new MemoTable(db)
  const readManifest = createManifestCache(store)
  const readShardLists = createShardListsCache(store)
  const recordEvent: RecordEvent = (tick, id, event) => record(tick, id, event)
  const producers = new OutputProducers()
  const checks = new OutputChecks(
    store,
    (message, isOk) => {
      if (isOk) readable.remember(message.output, message.refs)
      deps.postVerdict(message, isOk)
    },
    readManifest,
  )
  const followers = new FollowerIndex()
  const starting: StepStartDeps = {
    catalogue,
    store,
    memo,
    actors,
    shardSize: settings.shardSize,
    readManifest,
    recordEvent,
    followers,
    memoChecks: new MemoChecks(store, deps.postMemoVerdict, () => readable.deletions, readManifest),
  }
  const effects: EffectDeps = {
    starting,
    completing: { catalogue, store, memo, clock, readManifest, recordEvent },
    leases,
    transport,
  }
  const record = createEventRecorder({
    actors,
    times,
    clock,
    committedSeq: deps.committedSeq,
    carryOut: (tick, actor, effect) => carryOutEffect(effects, tick, actor, effect),
    settleFollowers: (tick, leaderId) => settleFollowers(starting, tick, leaderId),
    saveCheckpoint: (tick, detail) => tick.writes.push(() => state.pipelines.saveCheckpoint(detail)),
  })
  return {
    memo,
    checks,
    starting,
    store,
    deleting: { db, actors, pipelines: state.pipelines, clock, committedSeq: deps.committedSeq },
    committing: {
      db,
      log: state.log,
      pipelines: state.pipelines,
      actors,
      roots: state.roots,
      ...(deps.reserve ? { reserve: deps.reserve } : {}),
      schedule: state.schedule,
      clock,
    },
    restoring: {
      actors,
      pipelines: state.pipelines,
      leases,
      clock,
      log: state.log,
      retryPolicy: settings.retry,
      followers,
      schedule: state.schedule,
      warn: deps.warn,
    },
    requests: {
      actors,
      pipelines: state.pipelines,
      retryPolicy: settings.retry,
      newPipelineId: deps.newPipelineId,
      recordEvent,
      refusal: () => spaceRefusal(deps.reserve),
    },
    clockTick: { actors, leases, workers, times, clock, transport, recordEvent },
    workerLost: { actors, leases, workers, transport, recordEvent },
    dispatching: {
      actors,
      leases,
      workers,
      times,
      memo,
      store,
      clock,
      transport,
      readManifest,
      readShardLists,
      recordEvent,
      identity: deps.identity,
      producers,
      locality: settings.locality,
    },
    handleReport: createReportHandler({
      actors,
      leases,
      workers,
      catalogue,
      memo,
      clock,
      readManifest,
      taskLogs: new TaskLogTable(db),
      progressPerSecond: settings.progressPerSecond,
      recordEvent,
      identity: deps.identity,
      checks,
      countRefused: deps.countRefused,
      transport,
      producers,
      readable,
      onRefused: deps.onRefused,
    }),
  }
}
