import type { StoredEvent } from '../../../core/domain/index.ts'

type EventData = { type: StoredEvent['type']; data: Record<string, unknown> }

/** Stamps events of one pipeline with seq, pipelineSeq and time, one second apart. */
export function stamp(pipelineId: string, events: EventData[], firstSeq = 1): StoredEvent[] {
  return events.map((e, i) => ({
    ...e,
    seq: firstSeq + i,
    pipelineId,
    pipelineSeq: i + 1,
    at: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString(),
    data: { pipelineId, ...e.data },
  })) as unknown as StoredEvent[]
}

const CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'

/** A two-step run (SLEEP then NOOP) that succeeds, as the monitor logs it. */
export function sleepNoopRun(pipelineId = 'p1'): StoredEvent[] {
  const unit = (step: number) => ({ step, shard: 0, attempt: 1, orderId: `${pipelineId}.${step}.0.1` })
  return stamp(pipelineId, [
    {
      type: 'PipelineSubmitted',
      data: {
        name: 'hello',
        tasks: [
          { call: 'SLEEP', args: [1500], version: 1, lane: 'default', timeoutMs: 60000 },
          { call: 'NOOP', args: [], version: 1, lane: 'default', timeoutMs: 60000 },
        ],
        labels: {},
        cache: true,
      },
    },
    { type: 'StepStarted', data: { step: 0, input: null, shards: 1, memoKey: 'k0' } },
    { type: 'UnitDispatched', data: { ...unit(0), lane: 'default' } },
    { type: 'UnitStarted', data: { ...unit(0), worker: 'w1' } },
    { type: 'UnitProgressed', data: { step: 0, shard: 0, attempt: 1, done: 750, total: 1500, unit: 'ms' } },
    { type: 'UnitSucceeded', data: { step: 0, shard: 0, attempt: 1, output: CID, refs: [], stats: {} } },
    { type: 'StepSucceeded', data: { step: 0, output: CID, refs: [] } },
    { type: 'StepStarted', data: { step: 1, input: CID, shards: 1, memoKey: 'k1' } },
    { type: 'UnitDispatched', data: { ...unit(1), lane: 'default' } },
    { type: 'UnitStarted', data: { ...unit(1), worker: 'w2' } },
    { type: 'UnitSucceeded', data: { step: 1, shard: 0, attempt: 1, output: CID, refs: [], stats: {} } },
    { type: 'StepSucceeded', data: { step: 1, output: CID, refs: [] } },
    { type: 'PipelineSucceeded', data: { output: CID } },
  ])
}

export { CID as SAMPLE_CID }
