#!/usr/bin/env node
import { existsSync } from 'node:fs'

// The entry. `--version` answers before anything else loads. From the build, the client
// commands and help run the bundle of program.ts and the client actions (a few files, so
// Node resolves and reads those instead of ~150 modules: see bundle-client.ts); every other command
// (servers, workers, store commands) runs the unbundled program, so one process never mixes
// the bundle's copy of the domain (and of zod) with the modules' own.

/** First arguments that the bundle serves: the REST clients, `validate` and help (which runs no action). */
const CLIENT_COMMANDS = new Set([
  'run',
  'status',
  'events',
  'cancel',
  'retry',
  'delete',
  'logs',
  'workers',
  'tasks',
  'get',
  'validate',
  'help',
  '--help',
  '-h',
])

/** Whether `argv` (after `banzai`) names a command that the client bundle serves. */
function servedByBundle(argv: string[]): boolean {
  const [first, second] = argv
  return first === undefined || CLIENT_COMMANDS.has(first) || (first === 'cache' && second === 'explain')
}

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { readVersion } = await import('./version.ts')
  process.stdout.write(`${readVersion()}\n`)
  process.exit(0)
}

const bundle = new URL('./client-program.js', import.meta.url)
if (import.meta.url.endsWith('.js') && servedByBundle(argv) && existsSync(bundle)) await import(bundle.href)
else await import('./program.ts')
