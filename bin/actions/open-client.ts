import { readFileSync } from 'node:fs'
import { ValidationError } from '../../core/domain/index.ts'
import { ApiClient } from '../client.ts'
import { resolveSettings } from '../settings.ts'

/** The API client of a client command's `--monitor` and `--token`. */
export function openClient(flags: Record<string, unknown>): ApiClient {
  const settings = resolveSettings(flags)
  return new ApiClient(settings.monitor, settings.token)
}

/** Reads a JSON document from a file, or from stdin for `-`. */
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
    return JSON.parse(text)
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
