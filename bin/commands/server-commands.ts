import { availableParallelism } from 'node:os'
import type { Command } from 'commander'
import { withSettings } from '../command-options.ts'
import type { Settings } from '../settings.ts'

/** Resolves when SIGINT or SIGTERM arrives. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
}

async function settingsOf(flags: Record<string, unknown>): Promise<Settings> {
  const { resolveSettings } = await import('../settings.ts')
  return resolveSettings(flags)
}

/** `banzai up`, `banzai monitor`, `banzai worker`, `banzai demo`. */
export function registerServerCommands(program: Command): void {
  withSettings(
    program.command('up').description('monitor, API, dashboard and N local worker processes, in one command'),
    'up',
  ).action(async (flags: Record<string, unknown>) => {
    const settings = await settingsOf(flags)
    const { startMonitor } = await import('../wiring/start-monitor.ts')
    const { describeLocalWorkers, spawnWorkers, stopWorkers, waitForLocalWorkers } =
      await import('../wiring/local-workers.ts')
    const running = await startMonitor(settings)
    const workers = spawnWorkers(settings, running.url, settings.workers ?? availableParallelism())
    for (const child of workers)
      child.once('exit', (code, signal) =>
        console.error(`banzai: worker pid ${child.pid} exited (${code ?? signal})`),
      )
    const started = await waitForLocalWorkers(workers, () => running.monitor.workers().map((w) => w.pid))
    if (started.ready === 0 && workers.length > 0) {
      await stopWorkers(workers)
      await running.stop()
      throw new Error(`no local worker could start: ${describeLocalWorkers(started, workers.length)}`)
    }
    console.log(
      `banzai is up: ${running.url} (${describeLocalWorkers(started, workers.length)}; Ctrl-C to stop)`,
    )
    await untilSignal()
    await stopWorkers(workers)
    await running.stop()
  })

  withSettings(
    program.command('monitor').description('the monitor with its API and dashboard, one process'),
    'monitor',
  ).action(async (flags: Record<string, unknown>) => {
    const settings = await settingsOf(flags)
    const { startMonitor } = await import('../wiring/start-monitor.ts')
    const running = await startMonitor(settings)
    console.log(`banzai monitor: ${running.url}`)
    await untilSignal()
    await running.stop()
  })

  withSettings(
    program.command('worker').description('a worker: discovers the monitor from its API and runs tasks'),
    'worker',
  ).action(async (flags: Record<string, unknown>) => {
    const settings = await settingsOf(flags)
    const { startWorker } = await import('../wiring/start-worker.ts')
    const worker = await startWorker(settings)
    await untilSignal()
    await worker.stop(true)
  })

  withSettings(
    program
      .command('demo')
      .description('runs the bundled example datasets end to end and prints the outcome'),
    'demo',
  ).action(async (flags: Record<string, unknown>) => {
    const settings = await settingsOf(flags)
    const { runDemo } = await import('./demo.ts')
    process.exitCode = await runDemo(settings)
  })
}
