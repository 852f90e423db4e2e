import {
  type Cid,
  DATASET_KIND,
  type DatasetManifest,
  resolveStepInputs,
  type ResolvedTask,
  type Store,
} from '../../domain/index.ts'
import type { ReadManifest } from './manifest-cache.ts'
import { writeManifestInSlices } from './manifest-slices.ts'
import { SLICE, yieldToLoop } from './yield-to-loop.ts'

/** What assembling a step's several inputs uses. */
export interface StepInputsDeps {
  store: Store
  readManifest: ReadManifest
}

/** The assembled input of a step with several inputs, or why it cannot run. */
export type AssembledInput = { input: Cid } | { error: string }

/** How an input is named in a clash: its task's id, or its index. */
function inputName(tasks: readonly ResolvedTask[], step: number): string {
  const task = tasks[step]
  return task?.id !== undefined ? `"${task.id}" (step ${step})` : `step ${step}`
}

/**
 * Concatenates the dataset manifests of a step's inputs in the order of its `inputs` into one
 * manifest in the store (SPEC §2 v3). Item ids must not clash across inputs: a clash names both
 * items and the inputs they come from. Linear in the items, and yielding to the event loop every
 * SLICE items (a 20k-item fan-in never holds it for the whole assembly).
 */
export async function assembleInputs(
  deps: StepInputsDeps,
  tasks: readonly ResolvedTask[],
  step: number,
  inputs: readonly Cid[],
): Promise<AssembledInput> {
  const from = resolveStepInputs(tasks)[step] ?? []
  const owners = new Map<string, { input: number; index: number }>()
  const merged: DatasetManifest = { kind: DATASET_KIND, sources: [], items: [] }
  for (const [k, cid] of inputs.entries()) {
    let manifest: DatasetManifest
    try {
      manifest = await deps.readManifest(cid)
    } catch (error) {
      return {
        error: `cannot read input ${k} (${inputName(tasks, from[k] ?? -1)}): ${(error as Error).message}`,
      }
    }
    for (const [index, item] of manifest.items.entries()) {
      if (index > 0 && index % SLICE === 0) await yieldToLoop()
      const owner = owners.get(item.id)
      if (owner !== undefined) {
        const first = `item ${owner.index} "${item.id}" of input ${owner.input} (${inputName(tasks, from[owner.input] ?? -1)})`
        const second = `item ${index} "${item.id}" of input ${k} (${inputName(tasks, from[k] ?? -1)})`
        return { error: `item ids clash across inputs: ${first} and ${second}` }
      }
      owners.set(item.id, { input: k, index })
      merged.items.push(item)
    }
    merged.sources.push(...manifest.sources)
  }
  return { input: await writeManifestInSlices(deps.store, merged) }
}
