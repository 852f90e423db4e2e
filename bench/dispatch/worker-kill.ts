import { rmSync } from 'node:fs'
import type { StoredEvent } from '../../core/domain/index.ts'
import type { Child } from '../../test/support/child-process.ts'
import {
  freePorts,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../../test/support/banzai-processes.ts'
import { summarize } from '../support/percentiles.ts'

/** SIGKILL of a worker mid-unit → `UnitWorkerLost` → the unit's next `UnitDispatched`, read from the events. */
export interface WorkerKillFigures {
  kills: number
  heartbeatMs: number
  leaseMs: number
  /** Client clock at the kill to the `at` of `UnitWorkerLost` (same machine, same clock), ms. */
  killToLostMs: ReturnType<typeof summarize>
  /** Kill to the `at` of the unit's next `UnitDispatched` (attempt + 1, to the other worker), ms. */
  killToDispatchedMs: ReturnType<typeof summarize>
  /** How the monitor learnt it (`disconnected`: the link dropped; `silent`: missed heartbeats). */
  causes: Record<string, number>
  /** Kills after which a `UnitLeaseExpired` came before the re-dispatch (should be none). */
  leaseExpiries: number
}

async function eventsUntil(
  url: string,
  id: string,
  match: (events: StoredEvent[]) => boolean,
): Promise<StoredEvent[]> {
  const end = Date.now() + 60_000
  for (;;) {
    const page = (await (await fetch(`${url}/api/pipelines/${id}/events?limit=1000`)).json()) as {
      events: StoredEvent[]
    }
    if (match(page.events)) return page.events
    if (Date.now() > end) throw new Error(`timed out waiting on pipeline ${id}'s events`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/**
 * `banzai monitor` and two `banzai worker` processes (1 slot each, the default 1 s heartbeat,
 * a 5 s lease); `kills` times: a one-step SLEEP(30 s) pipeline, and once its unit has started,
 * its worker is SIGKILLed (and replaced by a fresh one for the next round).
 */
export async function measureWorkerKill(kills: number): Promise<WorkerKillFigures> {
  const data = tempDataDir('banzai-bench-kill-')
  const [port, zmqPort] = [await freePorts(1), await freePorts(3)]
  const heartbeatMs = 1_000
  const leaseMs = 5_000
  const children: Child[] = []
  const toLost: number[] = []
  const toDispatched: number[] = []
  const causes: Record<string, number> = {}
  let leaseExpiries = 0
  try {
    const monitor = await startMonitorProcess({ data, port, zmqPort, leaseMs })
    children.push(monitor.child)
    const workers: Child[] = []
    const addWorker = async (): Promise<void> => {
      const w = await startWorkerProcess(monitor, { data, slots: 1, heartbeatMs })
      children.push(w)
      workers.push(w)
    }
    await addWorker()
    await addWorker()
    for (let k = 0; k < kills; k++) {
      const id = await monitor.api.submit({
        name: `bench: kill ${k}`,
        cache: false,
        tasks: [{ call: 'SLEEP', args: [30_000] }],
      })
      const started = await eventsUntil(monitor.url, id, (es) => es.some((e) => e.type === 'UnitStarted'))
      const start = started.find((e) => e.type === 'UnitStarted')
      if (start?.type !== 'UnitStarted') throw new Error('unreachable')
      const victim = workers.find((w) => start.data.worker.endsWith(`-${w.process.pid}`))
      if (!victim) throw new Error(`no worker process runs ${start.data.worker}`)
      victim.kill('SIGKILL')
      const killedAt = Date.now()
      workers.splice(workers.indexOf(victim), 1)
      const events = await eventsUntil(monitor.url, id, (es) =>
        es.some((e) => e.type === 'UnitDispatched' && e.data.attempt > start.data.attempt),
      )
      const lost = events.find((e) => e.type === 'UnitWorkerLost')
      const next = events.find((e) => e.type === 'UnitDispatched' && e.data.attempt > start.data.attempt)
      if (lost?.type === 'UnitWorkerLost') {
        toLost.push(Date.parse(lost.at) - killedAt)
        causes[lost.data.cause] = (causes[lost.data.cause] ?? 0) + 1
      }
      if (next) toDispatched.push(Date.parse(next.at) - killedAt)
      if (events.some((e) => e.type === 'UnitLeaseExpired')) leaseExpiries++
      await monitor.api.call('POST', `/pipelines/${id}/cancel`)
      await victim.exited
      await addWorker()
    }
  } finally {
    for (const c of children) c.kill('SIGKILL')
    await Promise.all(children.map((c) => c.exited))
    rmSync(data, { recursive: true, force: true })
  }
  return {
    kills,
    heartbeatMs,
    leaseMs,
    killToLostMs: summarize(toLost),
    killToDispatchedMs: summarize(toDispatched),
    causes,
    leaseExpiries,
  }
}

/** The figures as Markdown lines for dispatch.md. */
export function workerKillMarkdown(f: WorkerKillFigures): string[] {
  return [
    '### Worker SIGKILL → next dispatch',
    '',
    `\`banzai monitor\` and two \`banzai worker\` processes (1 slot each, heartbeat ${f.heartbeatMs} ms, lease ${f.leaseMs} ms).`,
    `${f.kills} times: a one-step \`SLEEP(30000)\` pipeline; once its \`UnitStarted\` is in the log, its worker is SIGKILLed;`,
    'the times are from the kill (client clock) to the `at` of the events (the monitor’s clock, same machine). Goal: ≤ 2 s to the next `UnitDispatched`.',
    '',
    '| figure | p50 | p99 | max |',
    '| --- | ---: | ---: | ---: |',
    `| SIGKILL → \`UnitWorkerLost\` (ms) | ${f.killToLostMs.p50} | ${f.killToLostMs.p99} | ${f.killToLostMs.max} |`,
    `| SIGKILL → next \`UnitDispatched\` (ms) | ${f.killToDispatchedMs.p50} | ${f.killToDispatchedMs.p99} | ${f.killToDispatchedMs.max} |`,
    '',
    `Causes: ${Object.entries(f.causes)
      .map(([cause, n]) => `${cause} ${n}`)
      .join(', ')}; lease expiries before the re-dispatch: ${f.leaseExpiries}.`,
  ]
}
