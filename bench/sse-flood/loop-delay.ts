/** The monitor's own event-loop delay (node's monitorEventLoopDelay, 10 ms resolution), ms. */
export interface LoopDelay {
  p50: number
  p99: number
  max: number
}

const NAMES = { p50: 'p50', p99: 'p99', max: 'max' } as const

/**
 * Reads the event-loop delay that the monitor measured since the previous scrape of
 * `GET /api/metrics` (prom-client resets its histogram at each scrape): call once to start a
 * window, once more to read it. Measured inside the monitor, so the probing process's own
 * scheduling (2 shared cores) does not enter it.
 */
export async function readLoopDelay(url: string): Promise<LoopDelay> {
  const text = await (await fetch(`${url}/api/metrics`)).text()
  const read = (name: string): number => {
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`banzai_process_nodejs_eventloop_lag_${name}_seconds `))
    if (line === undefined) throw new Error(`no event-loop ${name} in /api/metrics`)
    return Number((Number(line.split(' ')[1]) * 1000).toFixed(1))
  }
  return { p50: read(NAMES.p50), p99: read(NAMES.p99), max: read(NAMES.max) }
}
