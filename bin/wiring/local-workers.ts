import type { ChildProcess } from 'node:child_process'

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
