import { describe, expect, it } from 'vitest'
import { EVENT_TYPES, isEnded, PipelineStatus } from '../../../core/domain/index.ts'
import { readStoredEvent } from './event-stream.ts'

const submitted = {
  seq: 1,
  pipelineId: 'pmx5ly7elxv9n4g',
  pipelineSeq: 1,
  at: '2026-12-02T04:10:27.522Z',
  type: 'PipelineSubmitted',
  data: {
    name: 'sharded',
    tasks: [{ call: 'NOOP', args: [], version: 1, lane: 'default', timeoutMs: 60000 }],
    labels: {},
    cache: true,
    retryOf: null,
  },
}

describe('readStoredEvent', () => {
  it('reads an SSE message through the StoredEvent schema', () => {
    expect(readStoredEvent(JSON.stringify(submitted))).toEqual(submitted)
  })

  it('ignores pings, other JSON, and events whose data breaks their schema', () => {
    expect(readStoredEvent('ping')).toBeNull()
    expect(readStoredEvent('{"seq":1}')).toBeNull()
    expect(readStoredEvent(JSON.stringify({ ...submitted, data: { name: 7 } }))).toBeNull()
    expect(readStoredEvent(JSON.stringify({ ...submitted, type: 'NoSuchEvent' }))).toBeNull()
  })
})

describe('the names the stream relies on', () => {
  it('lists every event type of the DomainEvent union, once', () => {
    expect(EVENT_TYPES).toContain('PipelineSubmitted')
    expect(EVENT_TYPES).toContain('UnitLeaseExpired')
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length)
  })

  it('isEnded: succeeded, failed and cancelled only', () => {
    expect(
      ['queued', 'running', 'succeeded', 'failed', 'cancelled'].filter((s) =>
        isEnded(PipelineStatus.parse(s)),
      ),
    ).toEqual(['succeeded', 'failed', 'cancelled'])
  })
})
