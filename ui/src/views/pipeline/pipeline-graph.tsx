import { createMemo, For, Show, untrack } from 'solid-js'
import type { TaskDetail } from '../../../../core/domain/index.ts'
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './graph-layout.ts'

/** What the graph draws and where a click on a node goes. */
export interface PipelineGraphProps {
  tasks: TaskDetail[]
  /** The step whose card is open, if any. */
  selected: number | null
  onSelect: (step: number) => void
}

function fractionOf(task: TaskDetail): number {
  if (task.status === 'succeeded') return 1
  const p = task.progress
  return p && p.total > 0 ? Math.min(1, p.done / p.total) : 0
}

function pathOf(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')
}

/**
 * The pipeline as a graph (SPEC §2 v3, laid out by dagre): one node per step with its status,
 * progress and cache mark; edges are the data flow. Clicking a node opens its step.
 */
export function PipelineGraph(props: PipelineGraphProps) {
  // The layout depends only on the shape of the graph, not on statuses: recomputed when that changes.
  const shape = createMemo(() => props.tasks.map((t) => `${t.index}<${(t.inputs ?? []).join(',')}`).join(';'))
  // Untracked: reading the tasks here would lay out again (and redraw every node) on each status.
  const layout = createMemo(() => {
    shape()
    return untrack(() => layoutGraph(props.tasks))
  })
  const task = (step: number) => props.tasks[step]
  return (
    <figure class="pipeline-graph" aria-label="pipeline graph">
      <svg
        width={layout().width}
        height={layout().height}
        viewBox={`0 0 ${layout().width} ${layout().height}`}
        role="img"
      >
        <defs>
          <marker
            id="graph-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" />
          </marker>
        </defs>
        <For each={layout().edges}>
          {(edge) => (
            <path
              class={`graph-edge from-${task(edge.from)?.status ?? 'pending'}`}
              data-from={edge.from}
              data-to={edge.to}
              d={pathOf(edge.points)}
              marker-end="url(#graph-arrow)"
            />
          )}
        </For>
        <For each={layout().nodes}>
          {(node) => (
            <Show when={task(node.step)}>
              {(t) => (
                <g
                  class={`graph-node status-${t().status}`}
                  classList={{ selected: props.selected === node.step }}
                  data-step={node.step}
                  data-status={t().status}
                  transform={`translate(${node.x},${node.y})`}
                  role="button"
                  tabindex="0"
                  aria-label={`step ${node.step + 1}: ${t().call}, ${t().status}`}
                  onClick={() => props.onSelect(node.step)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') props.onSelect(node.step)
                  }}
                >
                  <title>{`${t().id ?? `step ${node.step + 1}`}: ${t().call} (${t().status})`}</title>
                  <rect class="graph-box" width={NODE_WIDTH} height={NODE_HEIGHT} rx="6" />
                  <text class="graph-call" x="10" y="20">
                    {`${node.step + 1}. ${t().call}`}
                  </text>
                  <text class="graph-id" x="10" y="36">
                    {t().id ?? t().status}
                    {t().shards.total > 1 ? ` · ${t().shards.succeeded}/${t().shards.total} shards` : ''}
                  </text>
                  <Show when={t().cacheHit}>
                    <text class="graph-cache" x={NODE_WIDTH - 10} y="20" text-anchor="end">
                      cached
                    </text>
                  </Show>
                  <rect
                    class="graph-track"
                    x="10"
                    y={NODE_HEIGHT - 14}
                    width={NODE_WIDTH - 20}
                    height="5"
                    rx="2"
                  />
                  <rect
                    class="graph-fill"
                    x="10"
                    y={NODE_HEIGHT - 14}
                    width={(NODE_WIDTH - 20) * fractionOf(t())}
                    height="5"
                    rx="2"
                  />
                </g>
              )}
            </Show>
          )}
        </For>
      </svg>
    </figure>
  )
}
