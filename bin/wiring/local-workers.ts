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
        // Tokens travel in the environment, not in argv (which `ps` shows to every user).
        // BANZAI_PARENT_PID: the worker exits when this process dies (no orphans joining another monitor).
        env: {
          ...process.env,
          BANZAI_PARENT_PID: String(process.pid),
          ...(settings.token ? { BANZAI_TOKEN: settings.token } : {}),
          ...(settings.readToken ? { BANZAI_READ_TOKEN: settings.readToken } : {}),
        },
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

/** How the local workers of `up` / `demo` came up. */
export interface LocalWorkersStart {
  /** Workers the monitor lists (they heartbeat). */
  ready: number
  /** Workers that exited before the monitor listed them, with their exit code or signal. */
  exited: { pid: number; code: number | string }[]
  /** Workers neither listed nor exited within the wait. */
  pending: number
}

/**
 * Waits until every local worker is either listed by the monitor (`listedPids`) or has exited,
 * or `timeoutMs` passes (default 30000), polling every 100 ms.
 */
export async function waitForLocalWorkers(
  children: ChildProcess[],
  listedPids: () => number[],
  timeoutMs = 30_000,
): Promise<LocalWorkersStart> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const listed = new Set(listedPids())
    const exited = children
      .filter((c) => c.exitCode !== null || c.signalCode !== null)
      .map((c) => ({ pid: c.pid ?? 0, code: c.exitCode ?? c.signalCode ?? 'unknown' }))
    const ready = children.filter(
      (c) => c.pid !== undefined && listed.has(c.pid) && c.exitCode === null,
    ).length
    const pending = children.length - ready - exited.length
    if (pending === 0 || Date.now() >= end) return { ready, exited, pending }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The line `up` prints about its workers: only the ones that run are counted as running. */
export function describeLocalWorkers(start: LocalWorkersStart, total: number): string {
  const parts = [`${start.ready} of ${total} workers running`]
  if (start.exited.length > 0)
    parts.push(
      `${start.exited.length} exited before registering (${start.exited.map((e) => `pid ${e.pid}: ${e.code}`).join(', ')}; see their errors above)`,
    )
  if (start.pending > 0) parts.push(`${start.pending} still starting`)
  return parts.join('; ')
}
