import { BanzaiError } from '../core/domain/index.ts'
import { ApiError, EXIT } from './client.ts'

/** Prints an error once, on stderr, with the field errors its message does not already hold. */
function printError(message: string, errors: { message: string }[]): void {
  const extra = errors.map((e) => e.message).filter((m) => !message.includes(m))
  process.stderr.write([`banzai: ${message}`, ...extra.map((m) => `  ${m}`)].join('\n') + '\n')
}

/** Reports a command's error on stderr and returns the exit code of SPEC §9. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof ApiError) {
    printError(error.message, error.problem.errors)
    if (error.status === 404) return EXIT.notFound
    return error.status >= 400 && error.status < 500 ? EXIT.usage : EXIT.failed
  }
  if (error instanceof BanzaiError) {
    printError(error.message, error.errors)
    if (error.code === 'unavailable') return EXIT.unreachable
    if (error.code === 'not_found') return EXIT.notFound
    if (error.code === 'invalid_input') return EXIT.usage
    return EXIT.failed
  }
  const message = error instanceof Error ? error.message : String(error)
  if (/EADDRINUSE|address already in use/i.test(message)) {
    printError(
      `${message}: another process holds that port; choose others with --port and --zmq-port (or BANZAI_PORT, BANZAI_ZMQ_PORT)`,
      [],
    )
    return EXIT.usage
  }
  printError(message, [])
  return EXIT.failed
}
