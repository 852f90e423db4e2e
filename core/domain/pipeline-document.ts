import { z } from 'zod'

/** A task as written in a pipeline document (SPEC §2); its args are checked against the catalogue by `parsePipelineDocument`. */
export const TaskInput = z.strictObject({
  call: z.string(),
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional()
    .describe('a name other tasks use in `inputs`: letters, digits, `_`, `-`; unique'),
  inputs: z
    .array(z.string())
    .optional()
    .describe(
      "ids of the tasks whose outputs this task takes, in order; absent: the previous task's; []: none",
    ),
  args: z.array(z.unknown()).optional(),
  lane: z.string().optional(),
  timeoutMs: z.number().int().optional(),
})
export type TaskInput = z.infer<typeof TaskInput>

/** The object form of a pipeline document: `{name, tasks, labels, cache}` (SPEC §2). */
export const PipelineDocumentObject = z.strictObject({
  name: z.string().optional(),
  tasks: z.array(TaskInput),
  labels: z.record(z.string(), z.string()).optional(),
  cache: z.boolean().optional(),
})

/** A pipeline document: the seed's bare array of tasks, or the object form (SPEC §2). */
export const PipelineDocument = z.union([z.array(TaskInput), PipelineDocumentObject])
export type PipelineDocument = z.infer<typeof PipelineDocument>
