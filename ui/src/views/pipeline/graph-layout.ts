import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre'
import type { TaskDetail } from '../../../../core/domain/index.ts'

/** Node size in the drawing, px. */
export const NODE_WIDTH = 168
export const NODE_HEIGHT = 58

/** A step placed in the drawing: its box's top-left corner, px. */
export interface PlacedNode {
  step: number
  x: number
  y: number
}

/** A data-flow edge from one step's output to another's input, as a polyline, px. */
export interface PlacedEdge {
  from: number
  to: number
  points: { x: number; y: number }[]
}

/** A laid-out pipeline graph. */
export interface GraphLayout {
  nodes: PlacedNode[]
  edges: PlacedEdge[]
  width: number
  height: number
}

/** The steps a task takes its input from: its `inputs`, or (list documents) the previous step. */
export function inputsOf(task: TaskDetail): number[] {
  return task.inputs ?? (task.index === 0 ? [] : [task.index - 1])
}

/**
 * Lays the steps out left to right with dagre (layered DAG layout): sources on the left,
 * each edge from an input to the step that takes it.
 */
export function layoutGraph(tasks: readonly TaskDetail[]): GraphLayout {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>()
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 46, marginx: 8, marginy: 8 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const task of tasks) g.setNode(String(task.index), { width: NODE_WIDTH, height: NODE_HEIGHT })
  for (const task of tasks) for (const from of inputsOf(task)) g.setEdge(String(from), String(task.index))
  dagre.layout(g)
  const nodes = tasks.map((task) => {
    const n = g.node(String(task.index))
    return { step: task.index, x: (n.x ?? 0) - NODE_WIDTH / 2, y: (n.y ?? 0) - NODE_HEIGHT / 2 }
  })
  const edges = g.edges().map((e) => ({
    from: Number(e.v),
    to: Number(e.w),
    points: g.edge(e).points ?? [],
  }))
  const label = g.graph()
  return { nodes, edges, width: label.width ?? 0, height: label.height ?? 0 }
}
