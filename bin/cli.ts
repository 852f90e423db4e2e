#!/usr/bin/env node
import { existsSync } from 'node:fs'
import { readVersion } from './version.ts'

// The entry. `--version` answers before anything else loads. From the build, the client
// commands run the bundle of program.ts and the client actions (one file, so Node
// resolves and reads one module instead of ~150: see bundle-client.ts); every other command
// (servers, workers, store commands) runs the unbundled program, so one process never mixes
// the bundle's copy of the domain (and of zod) with the modules' own.

/** First arguments that the bundle serves: the REST clients and `validate` (help is lighter unbundled). */
const CLIENT_COMMANDS = new Set([
  'run',
  'status',
  'events',
  'cancel',
  'retry',
  'logs',
  'workers',
  'tasks',
  'get',
  'validate',
])

/** Whether `argv` (after `banzai`) names a command that the client bundle serves. */
function servedByBundle(argv: string[]): boolean {
  const [first, second] = argv
  return first !== undefined && (CLIENT_COMMANDS.has(first) || (first === 'cache' && second === 'explain'))
}

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${readVersion()}\n`)
  process.exit(0)
}

const bundle = new URL('./client-program.js', import.meta.url)
if (import.meta.url.endsWith('.js') && servedByBundle(argv) && existsSync(bundle)) await import(bundle.href)
else await import('./program.ts')
