import type { Command } from 'commander'
import { withSettings } from '../command-options.ts'

type Flags = Record<string, unknown>

const inspect = () => import('../actions/inspect-actions.ts')
const JSON_FLAG = '--json'

/** `banzai logs`, `workers`, `tasks`, `get`, `validate`: reading what the monitor knows (and one offline check). */
export function registerInspectCommands(program: Command): void {
  withSettings(
    program.command('logs <id> [step]').description("prints a step's log lines (every step's without STEP)"),
    'logs',
  )
    .option('--follow', 'keep printing new lines until the pipeline ends')
    .option(JSON_FLAG, 'print the LogPage document (with --follow: one line record per line)')
    .action(async (id: string, step: string | undefined, flags: Flags) =>
      (await inspect()).printLogs(id, step, flags),
    )

  withSettings(program.command('workers').description('lists the live workers'), 'workers')
    .option(JSON_FLAG, 'print the GET /workers document')
    .action(async (flags: Flags) => (await inspect()).printWorkers(flags))

  withSettings(
    program.command('tasks').description('lists the task catalogue: each task with its arguments and docs'),
    'tasks',
  )
    .option(JSON_FLAG, 'print the GET /tasks document (argument schemas as JSON Schema)')
    .action(async (flags: Flags) => (await inspect()).printTasks(flags))

  withSettings(
    program
      .command('get <cid>')
      .description(
        'downloads an output: a dataset as a folder of WAVs, .npy files and its manifest; a model as its tfjs files',
      ),
    'get',
  )
    .option(
      '-o, --output <path>',
      'where to write it (default: a folder named after the CID; other blobs: stdout)',
    )
    .action(async (cid: string, flags: Flags) =>
      (await import('../actions/get-output.ts')).getOutput(cid, flags),
    )

  program
    .command('validate <file>')
    .description('checks a pipeline document against the task catalogue, offline (exit 2 when invalid)')
    .option(JSON_FLAG, 'print the resolved pipeline')
    .action(async (file: string, flags: Flags) => (await inspect()).validateDocument(file, flags))
}

/** `banzai cache explain ID STEP`, under the `cache` command. */
export function registerCacheExplain(cache: Command): void {
  withSettings(
    cache
      .command('explain <id> <step>')
      .description('why a step hit or missed the cache: its memo key parts'),
    'cache explain',
  )
    .option(JSON_FLAG, 'print the GET …/tasks/:step/cache document')
    .action(async (id: string, step: string, flags: Flags) => (await inspect()).explainCache(id, step, flags))
}
