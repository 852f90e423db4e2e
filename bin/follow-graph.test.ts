import { describe, expect, test } from 'vitest'
import { catalogue, parsePipelineDocument, StoredEvent } from '../core/domain/index.ts'
import { replayDetail } from '../core/domain/projections/index.ts'
import { stepLabel } from './follow-graph.ts'

/** The detail right after submitting a document. */
function submitted(doc: unknown) {
  const data = { ...parsePipelineDocument(doc, catalogue) }
  const event = {
    seq: 1,
    pipelineId: 'p1',
    pipelineSeq: 1,
    at: '2026-01-01T00:00:00.000Z',
    type: 'PipelineSubmitted',
    data,
  }
  return replayDetail([StoredEvent.parse(event)])!
}

describe('run --follow names steps', () => {
  test('a graph step shows its id and the branches it takes its input from', () => {
    const detail = submitted({
      tasks: [
        { id: 'a', inputs: [], call: 'MAKE_DATASET', args: [1] },
        { id: 'b', inputs: [], call: 'MAKE_DATASET', args: [2] },
        { id: 'm', inputs: ['a', 'b'], call: 'NOOP' },
      ],
    })
    expect(detail.tasks.map((t) => stepLabel(t, detail.tasks).trimEnd())).toEqual([
      '0 MAKE_DATASET a (source)',
      '1 MAKE_DATASET b (source)',
      '2 NOOP m ← a, b',
    ])
  })

  test('a list step keeps its short name', () => {
    const detail = submitted([{ call: 'NOOP' }, { call: 'NOOP' }])
    expect(stepLabel(detail.tasks[1]!, detail.tasks)).toBe('1 NOOP'.padEnd(18))
  })
})
