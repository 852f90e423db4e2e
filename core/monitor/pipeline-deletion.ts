import type { Db } from './sqlite/open-database.ts'

/**
 * Removes a deleted pipeline's rows (SPEC §5 `PipelineDeleted`): its snapshot and checkpoints
 * (it leaves the lists), its memo rows (no hit points at it any more) and its task logs. Its
 * events stay in the log; its GC roots go with `GcRootsTable.record`.
 */
export function deletePipelineRows(db: Db, id: string): void {
  db.prepare('DELETE FROM pipelines WHERE id = ?').run(id)
  db.prepare('DELETE FROM checkpoints WHERE pipeline_id = ?').run(id)
  db.prepare('DELETE FROM memo WHERE pipeline_id = ?').run(id)
  db.prepare('DELETE FROM task_logs WHERE pipeline_id = ?').run(id)
}
