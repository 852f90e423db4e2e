// @vitest-environment jsdom
import { cleanup, fireEvent, render } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { replayDetail } from '../../../../core/domain/projections/index.ts'
import { stamp } from '../../testing/sample-events.ts'
import { layoutGraph } from './graph-layout.ts'
import { PipelineGraph } from './pipeline-graph.tsx'

afterEach(cleanup)

const task = (call: string, id: string, inputs?: string[]) => ({
  call,
  args: [],
  version: 1,
  lane: 'default',
  timeoutMs: 60000,
  id,
  ...(inputs ? { inputs } : {}),
})
const CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
/** Two sources, one running, one a cache hit, merged by a pending step. */
const replayed = replayDetail(
  stamp('g1', [
    {
      type: 'PipelineSubmitted',
      data: {
        name: 'graph',
        tasks: [task('MAKE_DATASET', 'a', []), task('MAKE_DATASET', 'b', []), task('NOOP', 'm', ['a', 'b'])],
        labels: {},
        cache: true,
      },
    },
    { type: 'StepStarted', data: { step: 0, input: null, shards: 1, memoKey: 'k0' } },
    { type: 'UnitDispatched', data: { step: 0, shard: 0, attempt: 1, orderId: 'g1.0.0.1', lane: 'default' } },
    { type: 'UnitStarted', data: { step: 0, shard: 0, attempt: 1, orderId: 'g1.0.0.1', worker: 'w1' } },
    {
      type: 'StepCacheHit',
      data: { step: 1, output: CID, refs: [], from: { pipelineId: 'g0', step: 1 } },
    },
  ]),
)

if (!replayed) throw new Error('the sample run has no detail')
const detail = replayed

describe('PipelineGraph', () => {
  it('lays sources out before the step that merges them', () => {
    const layout = layoutGraph(detail.tasks)
    const x = (step: number) => layout.nodes.find((n) => n.step === step)!.x
    expect(x(0)).toBeLessThan(x(2))
    expect(x(1)).toBeLessThan(x(2))
    expect(layout.edges.map((e) => [e.from, e.to]).sort()).toEqual([
      [0, 2],
      [1, 2],
    ])
  })

  it('draws a node per step with its status and cache mark, an edge per input; a click opens the step', () => {
    const opened: number[] = []
    render(() => <PipelineGraph tasks={detail.tasks} selected={null} onSelect={(s) => opened.push(s)} />)
    const nodes = [...document.querySelectorAll('.graph-node')]
    expect(nodes.map((n) => n.getAttribute('data-status'))).toEqual(['running', 'succeeded', 'pending'])
    expect(nodes[1]!.textContent).toContain('cached')
    expect(nodes[0]!.textContent).not.toContain('cached')
    expect(document.querySelectorAll('.graph-edge')).toHaveLength(2)
    expect(document.querySelector('.graph-edge[data-from="1"]')?.getAttribute('class')).toContain(
      'from-succeeded',
    )
    fireEvent.click(nodes[2]!)
    expect(opened).toEqual([2])
  })
})
