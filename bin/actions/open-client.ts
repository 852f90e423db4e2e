import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ValidationError } from '../../core/domain/index.ts'
import { ApiClient } from '../client.ts'
import { resolveSettings } from '../settings.ts'

/** The API client of a client command's `--monitor` and `--token`. */
export function openClient(flags: Record<string, unknown>): ApiClient {
  const settings = resolveSettings(flags)
  return new ApiClient(settings.monitor, settings.token)
}

/** A task argument `file:RELATIVE/PATH` made absolute against `base` (the document's folder); others unchanged. */
function resolveFileArg(arg: unknown, base: string): unknown {
  if (typeof arg !== 'string' || !arg.startsWith('file:') || arg.startsWith('file:/')) return arg
  return pathToFileURL(resolve(base, decodeURIComponent(arg.slice('file:'.length)))).href
}

/**
 * Makes relative `file:` arguments of a pipeline document absolute against the document's
 * folder, so that examples can name the bundled fixtures wherever the project lives.
 */
export function resolveRelativeFileUrls(doc: unknown, base: string): unknown {
  const mapTasks = (tasks: unknown): unknown =>
    Array.isArray(tasks)
      ? tasks.map((task: unknown) =>
          typeof task === 'object' && task !== null && 'args' in task && Array.isArray(task.args)
            ? { ...task, args: task.args.map((a: unknown) => resolveFileArg(a, base)) }
            : task,
        )
      : tasks
  if (Array.isArray(doc)) return mapTasks(doc)
  if (typeof doc === 'object' && doc !== null && 'tasks' in doc) return { ...doc, tasks: mapTasks(doc.tasks) }
  return doc
}

/** Reads a JSON pipeline document from a file (or stdin for `-`), relative `file:` arguments made absolute. */
export function readDocument(file: string): unknown {
  let text: string
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8')
  } catch (error) {
    throw new ValidationError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  try {
    return resolveRelativeFileUrls(JSON.parse(text), file === '-' ? process.cwd() : dirname(resolve(file)))
  } catch (error) {
    throw new ValidationError(
      `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}

/** Prints one JSON document on a line of stdout. */
export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc)}\n`)
}
