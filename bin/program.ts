// The commander program, run when imported (by cli.ts). Only commander and the command tables
// load here: each action imports what it needs, so `--help` and the client commands start
// without the engine, TensorFlow or ZeroMQ. The build also bundles it, with the client actions,
// into dist/bin/client-program.js (see bundle-client.ts).
import { readVersion } from './version.ts'

const [{ Command, CommanderError }, client, inspect, server, store] = await Promise.all([
  import('commander'),
  import('./commands/client-commands.ts'),
  import('./commands/inspect-commands.ts'),
  import('./commands/server-commands.ts'),
  import('./commands/store-commands.ts'),
])

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
server.registerServerCommands(program)
client.registerClientCommands(program)
inspect.registerInspectCommands(program)
store.registerStoreCommands(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2)
  const { exitCodeOf } = await import('./exit-code.ts')
  // Exit now: a command that failed half-way may still hold sockets and timers open.
  process.exit(exitCodeOf(error))
}
