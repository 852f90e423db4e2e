import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { DEFAULT_RETRY_POLICY, isEnded, type PipelineSummary } from '../../core/domain/index.ts'
import { checkIntegrity, EventLog, openDatabase, PipelineTable } from '../../core/monitor/index.ts'
import { useProcessScope } from '../support/process-scope.ts'
import {
  freePorts,
  type MonitorProcess,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../support/banzai-processes.ts'
import { chaosSeed, seededRandom } from '../support/seeded-random.ts'
import { serveArcticZips } from '../support/zip-server.ts'

// Chaos: the monitor is SIGKILLed at 10 seeded-random instants while 2 real worker processes run
// 30 pipelines, and restarted each time on the same data folder and ports.
const { children, cleanups } = useProcessScope()

const KILLS = 10

/** The 30 documents: utility chains, fan-out steps in shards of 20, and the small audio pipeline. */
function pipelines(zips: string): unknown[] {
  const audio = (i: number) => ({
    name: `audio-${i}`,
    cache: false,
    tasks: [
      { call: 'FETCH_FESTVOX', args: [`${zips}/cmu_us_test_arctic-0.90-release.zip`] },
      { call: 'FILTER_LONGER', args: [1] },
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
    ],
  })
  const fanOut = (i: number) => ({
    name: `fan-out-${i}`,
    cache: false,
    tasks: [
      { call: 'MAKE_DATASET', args: [30 + (i % 4) * 15] },
      { call: 'ECHO_ITEMS', args: [5 + (i % 3) * 5] },
      { call: 'NOOP' },
    ],
  })
  const utility = (i: number) => ({
    name: `utility-${i}`,
    cache: false,
    tasks: [
      { call: 'SLEEP', args: [200 + (i % 6) * 150] },
      { call: 'NOOP' },
      { call: 'SLEEP', args: [100 + (i % 4) * 100] },
    ],
  })
  return Array.from({ length: 30 }, (_, i) => (i % 5 === 0 ? audio(i) : i % 5 <= 2 ? fanOut(i) : utility(i)))
}

/** How long after a restart each worker is listed again (its heartbeats reach the new monitor), as a line. */
async function timeRelisting(monitor: MonitorProcess, pids: number[], kill: number): Promise<string> {
  const start = Date.now()
  const seen = new Map<number, number>()
  let end = ''
  while (seen.size < pids.length && !end) {
    if (monitor.child.process.exitCode !== null || monitor.child.process.signalCode !== null) {
      end = ' (killed before)'
      break
    }
    const listed = await monitor.api.workers().catch((error: unknown) => {
      // The next kill may come first: then the API is gone, and that is the answer.
      end = ` (monitor gone: ${error instanceof Error ? error.message : String(error)})`
      return []
    })
    for (const pid of pids)
      if (!seen.has(pid) && listed.some((w) => w.pid === pid)) seen.set(pid, Date.now() - start)
    if (Date.now() - start > 20_000) end = ' (gave up after 20 s)'
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return `restart ${kill}: ${pids.map((pid) => `worker ${pid} after ${seen.get(pid) ?? '–'} ms`).join(', ')}${end}`
}

async function summaries(monitor: MonitorProcess): Promise<PipelineSummary[]> {
  return (await monitor.api.call<{ items: PipelineSummary[] }>('GET', '/pipelines?limit=1000')).items
}

test('monitor SIGKILLed at 10 random instants under load: all 30 pipelines succeed, no unit succeeds twice, the log passes the integrity check', async () => {
  const seed = chaosSeed()
  console.log(`monitor chaos: seed ${seed} (replay with CHAOS_SEED=${seed})`)
  const random = seededRandom(seed)
  const started = Date.now()

  const zips = await serveArcticZips()
  cleanups.push(() => zips.close())
  const data = tempDataDir('banzai-chaos-')
  cleanups.push(() => rmSync(data, { recursive: true, force: true }))
  const [port, zmqPort] = [await freePorts(1), await freePorts(3)]
  let monitor = await startMonitorProcess({ data, port, zmqPort })
  children.push(monitor.child)
  const workerPids: number[] = []
  for (let i = 0; i < 2; i++) {
    const worker = await startWorkerProcess(monitor, { data })
    children.push(worker)
    workerPids.push(worker.process.pid!)
  }
  const relisted: Promise<string>[] = []

  const ids: string[] = []
  for (const doc of pipelines(zips.url)) ids.push(await monitor.api.submit(doc))

  let killsWhileLive = 0
  for (let kill = 1; kill <= KILLS; kill++) {
    // A random instant: once the log has grown by a random number of events since the
    // (re)start (so every kill lands on a working engine), plus a random delay that spreads the
    // kills over every phase of a tick (dispatch, commit, sends).
    const advance = 1 + Math.floor(random() * 40)
    const delayMs = Math.floor(random() * 400)
    const from = await monitor.api.lastSeq()
    let isLive = true
    await monitor.api.until(
      async () => {
        if ((await monitor.api.lastSeq()) >= from + advance) return true
        isLive = (await summaries(monitor)).some((s) => !isEnded(s.status))
        return !isLive
      },
      `the log to grow by ${advance} events`,
      30_000,
    )
    await new Promise((resolve) => setTimeout(resolve, delayMs))
    const seq = await monitor.api.lastSeq()
    if (isLive) killsWhileLive++
    monitor.child.kill('SIGKILL')
    await monitor.child.exited
    console.log(
      `kill ${kill}: +${advance} events, +${delayMs} ms, at seq ≥ ${seq}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
    monitor = await startMonitorProcess({ data, port, zmqPort })
    children.push(monitor.child)
    relisted.push(timeRelisting(monitor, workerPids, kill))
  }

  const details = await monitor.api.waitForEnd(ids, 90_000)
  console.log(`workers listed again after each restart:\n  ${(await Promise.all(relisted)).join('\n  ')}`)
  console.log(
    `monitor chaos: ${KILLS} kills (${killsWhileLive} while pipelines ran), all ended after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
  // A failed pipeline shows its error in the diff.
  expect(details.map((d) => `${d.name}: ${d.status}${d.error ? ` (${d.error})` : ''}`)).toEqual(
    details.map((d) => `${d.name}: succeeded`),
  )
  expect(killsWhileLive).toBeGreaterThanOrEqual(5)

  const twice: string[] = []
  let units = 0
  const counts = { UnitLeaseExpired: 0, UnitReportIgnored: 0, UnitRetryScheduled: 0 }
  const reasons = new Map<string, number>()
  const tally = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
  for (const id of ids) {
    const succeeded = new Map<string, number>()
    for (const e of await monitor.api.events(id)) {
      if (e.type === 'UnitLeaseExpired' || e.type === 'UnitReportIgnored' || e.type === 'UnitRetryScheduled')
        counts[e.type]++
      if (e.type === 'UnitReportIgnored') tally(`ignored: ${e.data.reason}`)
      if (e.type === 'UnitFailed') tally(`failed${e.data.retryable ? ' (retryable)' : ''}: ${e.data.error}`)
      if (e.type !== 'UnitSucceeded') continue
      const key = `${id} step ${e.data.step} shard ${e.data.shard}`
      succeeded.set(key, (succeeded.get(key) ?? 0) + 1)
    }
    units += succeeded.size
    for (const [key, count] of succeeded) if (count > 1) twice.push(`${key}: ${count} times`)
  }
  console.log(
    `monitor chaos: ${units} units succeeded; ${JSON.stringify(counts)}; ${JSON.stringify(Object.fromEntries(reasons))}`,
  )
  expect(twice).toEqual([])
  expect(units).toBeGreaterThan(90)

  // The file on disk after one last SIGKILL: seqs gap-free, every history accepted by the
  // machine, the stored projections equal to a replay from zero.
  for (const c of children.splice(0)) {
    c.kill('SIGKILL')
    await c.exited
  }
  const db = openDatabase(join(data, 'banzai.db'))
  try {
    const report = checkIntegrity(new EventLog(db), new PipelineTable(db), DEFAULT_RETRY_POLICY)
    console.log(
      `integrity: ${report.events} events, ${report.pipelines} pipelines, ${report.problems.length} problems`,
    )
    expect(report.problems).toEqual([])
    expect(report.pipelines).toBe(30)
  } finally {
    db.close()
  }
})
