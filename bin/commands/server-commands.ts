import { availableParallelism } from 'node:os'
import type { Command } from 'commander'
import { withSettings } from '../command-options.ts'
import { resolveSettings } from '../settings.ts'
import { startMonitor } from '../wiring/start-monitor.ts'
import {
  describeLocalWorkers,
  spawnWorkers,
  stopWorkers,
  waitForLocalWorkers,
} from '../wiring/local-workers.ts'
import { startWorker } from '../wiring/start-worker.ts'
import { runDemo } from './demo.ts'

/** Resolves when SIGINT or SIGTERM arrives. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
}

/** `banzai up`, `banzai monitor`, `banzai worker`, `banzai demo`. */
export function registerServerCommands(program: Command): void {
  withSettings(
    program.command('up').description('monitor, API, dashboard and N local worker processes, in one command'),
    'up',
  ).action(async (flags: Record<string, unknown>) => {
    const settings = resolveSettings(flags)
    const running = await startMonitor(settings)
    const workers = spawnWorkers(settings, running.url, settings.workers || availableParallelism())
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
    const running = await startMonitor(resolveSettings(flags))
    console.log(`banzai monitor: ${running.url}`)
    await untilSignal()
    await running.stop()
  })

  withSettings(
    program.command('worker').description('a worker: discovers the monitor from its API and runs tasks'),
    'worker',
  ).action(async (flags: Record<string, unknown>) => {
    const worker = await startWorker(resolveSettings(flags))
    await untilSignal()
    await worker.stop(true)
  })

  withSettings(
    program
      .command('demo')
      .description('runs the bundled example datasets end to end and prints the outcome'),
    'demo',
  ).action(async (flags: Record<string, unknown>) => {
    process.exitCode = await runDemo(resolveSettings(flags))
  })
}
