#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command, CommanderError } from 'commander'
import { registerClientCommands } from './commands/client-commands.ts'
import { registerInspectCommands } from './commands/inspect-commands.ts'
import { registerServerCommands } from './commands/server-commands.ts'
import { registerStoreCommands } from './commands/store-commands.ts'
import { PROJECT_ROOT } from './project-root.ts'

// Only commander and the command tables load here: each action imports what it needs, so
// `--help`, `--version` and the client commands start without the engine, TensorFlow or ZeroMQ.

/** The version in package.json. */
function readVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'))
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string'
    ? pkg.version
    : 'unknown'
}

// A closed pipe (`banzai status | head -2`) ends the command quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

const program = new Command('banzai')
  .description('A crash-proof, content-addressed pipeline runner for audio ML datasets')
  .version(readVersion(), '-V, --version', 'prints the version')
  .showHelpAfterError()
  .exitOverride()
registerServerCommands(program)
registerClientCommands(program)
registerInspectCommands(program)
registerStoreCommands(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2)
  const { exitCodeOf } = await import('./exit-code.ts')
  // Exit now: a command that failed half-way may still hold sockets and timers open.
  process.exit(exitCodeOf(error))
}
