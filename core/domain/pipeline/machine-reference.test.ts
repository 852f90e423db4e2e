import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { StoredEvent } from '../events.ts'
import { DEFAULT_RETRY_POLICY } from './state.ts'
import { createPipeline, type PipelineSnapshot, stepPipeline, stepWithXState } from './machine.ts'

const LOGS = fileURLToPath(new URL('../../../fixtures/logs/', import.meta.url))
const logs = readdirSync(LOGS).filter((f) => f.endsWith('.events.jsonl'))

describe.each(logs)('the direct machine step on %s', (file) => {
  test('matches XState transition() event by event: snapshot, follow-up events, effects', () => {
    const events = readFileSync(`${LOGS}${file}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => StoredEvent.parse(JSON.parse(l)))
    const snapshots = new Map<string, PipelineSnapshot>()
    let finals = 0
    for (const stored of events) {
      const { seq: _seq, pipelineId, pipelineSeq: _ps, at, ...event } = stored
      if (event.type === 'PipelineSubmitted')
        snapshots.set(
          pipelineId,
          createPipeline({ id: pipelineId, submitted: event.data, policy: DEFAULT_RETRY_POLICY }),
        )
      const before = snapshots.get(pipelineId)
      if (!before) throw new Error(`no pipeline ${pipelineId}`)
      const direct = stepPipeline(before, event, at)
      expect(direct).toEqual(stepWithXState(before, event, at))
      // A final machine takes nothing more, both ways.
      if (direct.snapshot.status === 'done') {
        finals++
        expect(stepPipeline(direct.snapshot, event, at)).toEqual(stepWithXState(direct.snapshot, event, at))
      }
      snapshots.set(pipelineId, direct.snapshot)
    }
    expect(finals).toBeGreaterThan(0)
  })
})
