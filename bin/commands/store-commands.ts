import type { Command } from 'commander'
import { ValidationError } from '../../core/domain/index.ts'
import { collectGarbage, type GcReport, MemoTable } from '../../core/monitor/index.ts'
import { generateCurveKeyPair } from '../../transport/zmq/index.ts'
import { withSettings } from '../command-options.ts'
import { resolveSettings } from '../settings.ts'
import { throughMonitorOrLock } from '../wiring/monitor-or-lock.ts'
import { openStore } from '../wiring/open-store.ts'

/** `banzai cache clear`, `banzai gc`, `banzai keygen`. */
export function registerStoreCommands(program: Command): void {
  const cache = program.command('cache').description('the memo of task results')
  withSettings(
    cache.command('clear').description('forgets memoized results (all, or of one task); blobs stay until gc'),
    'cache',
  )
    .option('--task <name>', 'only this task (e.g. EXTRACT_MFCC)')
    .action(async (flags: Record<string, unknown>) => {
      const settings = resolveSettings(flags)
      const task = typeof flags.task === 'string' ? flags.task : undefined
      const { steps, items } = await throughMonitorOrLock(
        settings.data,
        settings.token,
        (api) => api.call<{ steps: number; items: number }>('POST', '/cache/clear', task ? { task } : {}),
        (db) => Promise.resolve(new MemoTable(db).clear(task)),
      )
      console.log(`forgot ${steps} step result(s) and ${items} item result(s)${task ? ` of ${task}` : ''}`)
    })

  withSettings(program.command('gc').description('removes blobs that no recorded pipeline references'), 'gc')
    .option('--max-bytes <n>', 'only remove unreferenced blobs until the store holds at most this many bytes')
    .action(async (flags: Record<string, unknown>) => {
      const settings = resolveSettings(flags)
      const maxBytes = flags.maxBytes === undefined ? undefined : Number(flags.maxBytes)
      if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes >= 0))
        throw new ValidationError(
          `--max-bytes must be a whole number of bytes, got ${JSON.stringify(flags.maxBytes)}`,
        )
      const options = maxBytes === undefined ? {} : { maxBytes }
      const report = await throughMonitorOrLock(
        settings.data,
        settings.token,
        (api) => api.call<GcReport>('POST', '/gc', options),
        async (db) => {
          const store = await openStore(settings)
          try {
            return await collectGarbage(db, store, options)
          } finally {
            await store.close()
          }
        },
      )
      console.log(
        `removed ${report.removed} blob(s) (${report.removedBytes} bytes); kept ${report.kept} (${report.keptBytes} bytes), ${report.referenced} referenced`,
      )
    })

  program
    .command('keygen')
    .description('prints a CurveZMQ key pair (BANZAI_CURVE_SECRET and its public key)')
    .action(() => {
      const pair = generateCurveKeyPair()
      console.log(`BANZAI_CURVE_SECRET=${pair.secretKey}`)
      console.log(`public key: ${pair.publicKey}`)
    })
}
