import { Command, CommanderError } from 'commander'
import { BanzaiError } from '../core/domain/index.ts'
import { ApiError, EXIT } from './client.ts'
import { registerClientCommands } from './commands/client-commands.ts'
import { registerServerCommands } from './commands/server-commands.ts'
import { registerStoreCommands } from './commands/store-commands.ts'

const program = new Command('banzai')
  .description('A crash-proof, content-addressed pipeline runner for audio ML datasets')
  .showHelpAfterError()
  .exitOverride()
registerServerCommands(program)
registerClientCommands(program)
registerStoreCommands(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  // Exit now: a command that failed half-way may still hold sockets and timers open.
  process.exit(exitCodeOf(error))
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage
  if (error instanceof BanzaiError && error.code === 'unavailable') {
    console.error(`banzai: ${error.message}`)
    return EXIT.unreachable
  }
  if (error instanceof BanzaiError && (error.code === 'invalid_input' || error.code === 'conflict')) {
    console.error(`banzai: ${error.message}`)
    return EXIT.usage
  }
  if (error instanceof ApiError) {
    console.error(`banzai: ${error.message}`)
    for (const e of error.problem.errors ?? []) console.error(`  ${e.message}`)
    return error.status === 422 || error.status === 400 ? EXIT.usage : EXIT.failed
  }
  const message = error instanceof Error ? error.message : String(error)
  if (/EADDRINUSE|address already in use/i.test(message)) {
    console.error(
      `banzai: ${message}: another process holds that port; choose others with --port and --zmq-port (or BANZAI_PORT, BANZAI_ZMQ_PORT)`,
    )
    return EXIT.usage
  }
  console.error(`banzai: ${message}`)
  return EXIT.failed
}
