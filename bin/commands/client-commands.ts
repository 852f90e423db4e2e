import type { Command } from 'commander'
import { withSettings } from '../command-options.ts'

type Flags = Record<string, unknown>

// The actions load the domain and the client only when a command runs.
const actions = () => import('../actions/pipeline-actions.ts')
const JSON_FLAG = '--json'

/** `banzai run`, `status`, `events`, `cancel`, `retry`: clients of the REST API. */
export function registerClientCommands(program: Command): void {
  withSettings(
    program
      .command('run <file>')
      .description(
        'submits a pipeline document (- for stdin); with --follow, waits and exits with its outcome',
      ),
    'run',
  )
    .option('--follow', 'show progress until the pipeline ends; exit 0 on success, 1 otherwise')
    .option(JSON_FLAG, 'print the PipelineDetail (with --follow: one per change, a line each)')
    .action(async (file: string, flags: Flags) => (await actions()).runPipeline(file, flags))

  withSettings(program.command('status [id]').description('lists pipelines, or shows one'), 'status')
    .option('--watch', 'keep showing it as it changes (one pipeline: until it ends)')
    .option(JSON_FLAG, 'print the SPEC §7 document (the list page, or the PipelineDetail)')
    .action(async (id: string | undefined, flags: Flags) => (await actions()).showStatus(id, flags))

  withSettings(
    program
      .command('delete [id]')
      .description(
        'deletes a finished pipeline (or every one that ended before --before): frees its blobs at the next gc',
      ),
    'delete',
  )
    .option('--before <date>', 'every finished pipeline last updated before this ISO date')
    .option(JSON_FLAG, 'print the deleted ids as {items: [{id, deleted}]}')
    .action(async (id: string | undefined, flags: Flags) => (await actions()).deletePipelines(id, flags))

  withSettings(
    program.command('events <id>').description("prints a pipeline's events, one JSON record per line"),
    'events',
  )
    .option('--follow', 'keep printing new events until the pipeline ends')
    .option(JSON_FLAG, 'the default: every event is printed as JSON')
    .action(async (id: string, flags: Flags) => (await actions()).printEvents(id, flags))

  withSettings(program.command('cancel <id>').description('cancels a pipeline'), 'cancel')
    .option(JSON_FLAG, 'print the PipelineDetail')
    .action(async (id: string, flags: Flags) => (await actions()).cancelPipeline(id, flags))

  withSettings(
    program
      .command('retry <id>')
      .description('submits a finished pipeline again (succeeded steps become cache hits)'),
    'retry',
  )
    .option('--follow', 'show progress until the new pipeline ends')
    .option(JSON_FLAG, 'print the new PipelineDetail (with --follow: one per change)')
    .action(async (id: string, flags: Flags) => (await actions()).retryPipeline(id, flags))
}
