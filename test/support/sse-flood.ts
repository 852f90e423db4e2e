import { request } from 'node:http'

/** What a flood of replaying SSE clients saw. */
export interface FloodOutcome {
  /** Clients that received every event from 1 to `untilSeq`, consecutively. */
  complete: number
  /** What went wrong for the others (status, gap, error), one line each. */
  failures: string[]
  /** Answers 503 (refused by the cap), with their Retry-After header. */
  refused: { retryAfter: string | null }[]
  /** Milliseconds from the first request to the last client's completion. */
  elapsedMs: number
}

/**
 * Opens `count` `GET /api/events` streams with `Last-Event-ID: 0` (one socket each), spread evenly
 * over `rampMs` (0: all at once), and
 * reads each until it has seen `untilSeq`, checking that the ids arrive as 1, 2, 3… with no gap,
 * duplicate or reordering. A cheap line scan, so the clients' own CPU stays small.
 */
export async function floodEventStream(
  url: string,
  count: number,
  untilSeq: number,
  rampMs = 0,
): Promise<FloodOutcome> {
  const started = performance.now()
  const outcome: FloodOutcome = { complete: 0, failures: [], refused: [], elapsedMs: 0 }
  const clients: Promise<void>[] = []
  for (let i = 0; i < count; i++) {
    const due = started + (rampMs * i) / count
    if (performance.now() < due) await new Promise((resolve) => setTimeout(resolve, due - performance.now()))
    clients.push(followOne(url, i, untilSeq, outcome))
  }
  await Promise.all(clients)
  outcome.elapsedMs = performance.now() - started
  return outcome
}

function followOne(url: string, index: number, untilSeq: number, outcome: FloodOutcome): Promise<void> {
  return new Promise((resolve) => {
    let expected = 1
    let carry = ''
    let settled = false
    const finish = (failure: string | null): void => {
      if (settled) return
      settled = true
      if (failure === null) outcome.complete++
      else outcome.failures.push(`client ${index}: ${failure}`)
      req.destroy()
      resolve()
    }
    const req = request(
      `${url}/api/events`,
      { headers: { 'Last-Event-ID': '0', Accept: 'text/event-stream' }, agent: false },
      (res) => {
        if (res.statusCode !== 200) {
          if (res.statusCode === 503) outcome.refused.push({ retryAfter: res.headers['retry-after'] ?? null })
          res.resume()
          finish(`HTTP ${res.statusCode}`)
          return
        }
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          const lines = (carry + chunk).split('\n')
          carry = lines.pop() ?? ''
          for (const line of lines) {
            if (!line.startsWith('id: ')) continue
            const id = Number(line.slice(4))
            if (id !== expected) return finish(`expected id ${expected}, got ${id}`)
            if (id >= untilSeq) return finish(null)
            expected++
          }
        })
        res.on('end', () => finish(`stream ended after id ${expected - 1}`))
        res.on('error', (error) => finish(error.message))
      },
    )
    req.on('error', (error) => finish(error.message))
    req.end()
  })
}

/** Times `GET /api/healthz` every `everyMs` until `stop` resolves; returns each latency in ms. */
export async function probeHealthz(url: string, stop: Promise<unknown>, everyMs = 100): Promise<number[]> {
  const latencies: number[] = []
  let done = false
  void stop.finally(() => {
    done = true
  })
  while (!done) {
    const t0 = performance.now()
    const response = await fetch(`${url}/api/healthz`)
    await response.text()
    latencies.push(performance.now() - t0)
    if (response.status !== 200) throw new Error(`healthz answered ${response.status} during the flood`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  return latencies
}
