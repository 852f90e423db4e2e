import type { FloodOutcome } from '../../test/support/sse-flood.ts'
import { spawnTs } from '../../test/support/child-process.ts'
import { type LoopDelay, readLoopDelay } from './loop-delay.ts'
import { type ProcessCpu, readProcessCpu } from './process-cpu.ts'

/** One probe of `GET /api/healthz` during a flood: when it started (ms after the flood did), and how long it took. */
export interface Probe {
  atMs: number
  ms: number
}

/** What one flood did to the monitor. */
export interface RoundResult {
  outcome: FloodOutcome
  probes: Probe[]
  loopDelay: LoopDelay
  /** CPU the monitor used during the flood (null off Linux). */
  monitorCpu: ProcessCpu | null
}

/** Times one `GET /api/healthz` over a fresh request, ms; throws unless it answers 200. */
export async function timeHealthz(url: string): Promise<number> {
  const t0 = performance.now()
  const response = await fetch(`${url}/api/healthz`)
  await response.text()
  if (response.status !== 200) throw new Error(`healthz answered ${response.status}`)
  return performance.now() - t0
}

/**
 * Starts `clients` replaying clients in their own process (all at once), probes healthz every
 * `probeEveryMs` until the last one has every event, and reads what it cost the monitor.
 * `duringFlood` runs once, after the fifth probe (a POST, say).
 */
export async function runFloodRound(options: {
  url: string
  monitorPid: number
  clients: number
  untilSeq: number
  probeEveryMs: number
  duringFlood?: () => Promise<void>
}): Promise<RoundResult> {
  await readLoopDelay(options.url) // starts the monitor's window of event-loop delay
  const cpuBefore = readProcessCpu(options.monitorPid)
  const flood = spawnTs('test/support/sse-flood-child.ts', [
    options.url,
    String(options.clients),
    String(options.untilSeq),
    '0',
  ])
  await flood.waitForLine((l) => l === 'flood: started', 'the flood to start')
  const started = performance.now()
  let done = false
  const ended = flood
    .waitForLine((l) => l.startsWith('flood: {'), 'the flood to end', 600_000)
    .finally(() => {
      done = true
    })
  const probes: Probe[] = []
  while (!done) {
    const atMs = Math.round(performance.now() - started)
    probes.push({ atMs, ms: Number((await timeHealthz(options.url)).toFixed(1)) })
    if (probes.length === 5) await options.duringFlood?.()
    await new Promise((resolve) => setTimeout(resolve, options.probeEveryMs))
  }
  const outcome = JSON.parse((await ended).slice('flood: '.length)) as FloodOutcome
  const cpuAfter = readProcessCpu(options.monitorPid)
  const loopDelay = await readLoopDelay(options.url)
  await flood.exited
  const monitorCpu =
    cpuBefore && cpuAfter
      ? {
          processMs: cpuAfter.processMs - cpuBefore.processMs,
          mainThreadMs: cpuAfter.mainThreadMs - cpuBefore.mainThreadMs,
        }
      : null
  return { outcome, probes, loopDelay, monitorCpu }
}
