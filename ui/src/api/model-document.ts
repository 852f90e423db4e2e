import type { LearnModelDocument } from '../../../core/domain/index.ts'

/** The fields of LEARN's output document (core/domain/model-document.ts) the training view reads. */
export type ModelDocument = Pick<
  LearnModelDocument,
  'kind' | 'task' | 'backend' | 'labels' | 'reason' | 'metrics'
>
