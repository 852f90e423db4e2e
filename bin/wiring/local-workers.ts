import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Settings } from '../settings.ts'

// The entry a worker child runs: the build's own cli.js, or the tsx launcher when running the sources.
const BANZAI = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../banzai.js' : '../cli.js', import.meta.url),
)

/** Starts `count` worker processes against a monitor URL, on the same data folder. */
export function spawnWorkers(settings: Settings, monitorUrl: string, count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    spawn(
      process.execPath,
      [
        BANZAI,
        'worker',
        '--monitor',
        monitorUrl,
        '--data',
        settings.data,
        '--slots',
        String(settings.slots),
        '--log-level',
        settings.logLevel,
        '--log-format',
        settings.logFormat === 'auto' && process.stderr.isTTY ? 'pretty' : settings.logFormat,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: process.env,
      },
    ),
  )
}

/** Stops worker processes gracefully (SIGTERM) and waits for them. */
export async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.kill('SIGTERM')
        }),
    ),
  )
}
