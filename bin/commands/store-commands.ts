import type { Command } from 'commander'
import { withSettings } from '../command-options.ts'
import { registerCacheExplain } from './inspect-commands.ts'

type Flags = Record<string, unknown>

const actions = () => import('../actions/store-actions.ts')

/** `banzai cache clear`, `cache explain`, `gc`, `keygen`. */
export function registerStoreCommands(program: Command): void {
  const cache = program.command('cache').description('the memo of task results')
  withSettings(
    cache.command('clear').description('forgets memoized results (all, or of one task); blobs stay until gc'),
    'cache clear',
  )
    .option('--task <name>', 'only this task (e.g. EXTRACT_MFCC)')
    .action(async (flags: Flags) => (await actions()).clearCache(flags))
  registerCacheExplain(cache)

  withSettings(program.command('gc').description('removes blobs that no recorded pipeline references'), 'gc')
    .option('--max-bytes <n>', 'only remove unreferenced blobs until the store holds at most this many bytes')
    .action(async (flags: Flags) => (await actions()).collectBlobs(flags))

  program
    .command('keygen')
    .description(
      'prints a CurveZMQ key pair as shell-safe lines (eval "$(banzai keygen)", or paste after export)',
    )
    .option('--json', 'print {"secretKey", "publicKey"}')
    .action(async (flags: Flags) => {
      const { createCurveKeyPair, shellQuote } = await import('../curve-key-pair.ts')
      const pair = createCurveKeyPair()
      if (flags.json === true) return void console.log(JSON.stringify(pair))
      console.log(
        '# the secret turns CURVE on (monitor) or is the worker key; put the public key in --curve-allow',
      )
      console.log(`BANZAI_CURVE_SECRET=${shellQuote(pair.secretKey)}`)
      console.log(`BANZAI_CURVE_PUBLIC=${shellQuote(pair.publicKey)}`)
    })
}
