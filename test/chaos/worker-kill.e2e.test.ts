import { rmSync } from 'node:fs'
import { expect, test } from 'vitest'
import type { StoredEvent } from '../../core/domain/index.ts'
import { useProcessScope } from '../support/process-scope.ts'
import type { Child } from '../support/child-process.ts'
import {
  type ApiHelper,
  freePorts,
  startMonitorProcess,
  startWorkerProcess,
  tempDataDir,
} from '../support/banzai-processes.ts'
import { serveArcticZips } from '../support/zip-server.ts'

// Chaos: a worker is SIGKILLed while it computes an EXTRACT_MFCC shard; the shard's lease
// expires and it runs again on the other worker.
const { children, cleanups } = useProcessScope()

const SPEAKERS = ['sf3', 'ssc', 'sus']
const LEASE_MS = 1_000
const MFCC = 1

/** Polls one pipeline's new events every 10 ms until `match` accepts one; keeps all it read. */
async function waitForEvent(
  api: ApiHelper,
  id: string,
  seen: StoredEvent[],
  match: (e: StoredEvent) => boolean,
  what: string,
): Promise<StoredEvent> {
  let found: StoredEvent | undefined = seen.find(match)
  const end = Date.now() + 60_000
  while (!found) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    const after = seen.at(-1)?.pipelineSeq ?? 0
    const page = await api.call<{ events: StoredEvent[] }>(
      'GET',
      `/pipelines/${id}/events?after=${after}&limit=1000`,
    )
    seen.push(...page.events)
    found = page.events.find(match)
    if (!found) await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return found
}

const unitKey = (e: { data: { step: number; shard: number } }) => `${e.data.step}.${e.data.shard}`

test('a worker SIGKILLed mid-shard of EXTRACT_MFCC: its shards are re-run on the other worker and the pipeline succeeds', async () => {
  const zips = await serveArcticZips()
  cleanups.push(() => zips.close())
  const data = tempDataDir('banzai-chaos-')
  cleanups.push(() => rmSync(data, { recursive: true, force: true }))
  const [port, zmqPort] = [await freePorts(1), await freePorts(3)]
  // 60 WAVs in shards of 4: 15 shards, so both workers are busy with one when the kill lands.
  const monitor = await startMonitorProcess({ data, port, zmqPort, leaseMs: LEASE_MS, shardSize: 4 })
  children.push(monitor.child)
  const workers: Child[] = []
  for (let i = 0; i < 2; i++) {
    const w = await startWorkerProcess(monitor, { data, slots: 1 })
    children.push(w)
    workers.push(w)
  }
  const started = Date.now()
  const id = await monitor.api.submit({
    name: 'mfcc-shards',
    cache: false,
    tasks: [
      { call: 'FETCH_FESTVOX', args: SPEAKERS.map((s) => `${zips.url}/cmu_us_${s}_arctic-0.90-release.zip`) },
      // Resampled from 16 kHz to 22.05 kHz: about 1 s of work per shard of 4 WAVs (at 16 kHz a
      // shard takes some 30 ms, shorter than the time it takes to notice that it started).
      { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 22_050, { nfft: 1024 }] },
    ],
  })

  // The second MFCC shard to start: by then both workers have taken one, so the victim is mid-shard.
  const seen: StoredEvent[] = []
  let startedShards = 0
  const victimStart = await waitForEvent(
    monitor.api,
    id,
    seen,
    (e) => e.type === 'UnitStarted' && e.data.step === MFCC && ++startedShards === 2,
    'a second MFCC shard to start',
  )
  if (victimStart.type !== 'UnitStarted') throw new Error('unreachable')
  const victimId = victimStart.data.worker
  const victim = workers.find((w) => victimId.endsWith(`-${w.process.pid}`))!
  const survivor = workers.find((w) => w !== victim)!
  victim.kill('SIGKILL')
  const killedAt = Date.now()
  await victim.exited

  const [detail] = await monitor.api.waitForEnd([id], 90_000)
  const total = Date.now() - started
  expect(detail!.tasks.map((t) => t.error)).toEqual([null, null])
  expect(detail!.status).toBe('succeeded')
  const events = await monitor.api.events(id)
  const expired = events.filter((e) => e.type === 'UnitWorkerLost' && e.data.step === MFCC)
  // The victim's link dropped: the shard it was computing is recorded lost at once, no lease runs out.
  // (A survivor's lease may still run out on a loaded machine: only the victim's unit is asserted.)
  expect(
    events.some(
      (e) =>
        e.type === 'UnitLeaseExpired' &&
        unitKey(e) === unitKey(victimStart) &&
        e.data.attempt === victimStart.data.attempt,
    ),
  ).toBe(false)
  expect(
    expired.some(
      (e) =>
        e.type === 'UnitWorkerLost' &&
        e.data.cause === 'disconnected' &&
        unitKey(e) === unitKey(victimStart) &&
        e.data.attempt === victimStart.data.attempt,
    ),
  ).toBe(true)

  const lines: string[] = []
  for (const lost of expired) {
    if (lost.type !== 'UnitWorkerLost') continue
    const redispatch = events.find(
      (e) =>
        e.type === 'UnitDispatched' && unitKey(e) === unitKey(lost) && e.data.attempt > lost.data.attempt,
    )
    const retry = events.find(
      (e) =>
        e.type === 'UnitRetryScheduled' &&
        unitKey(e) === unitKey(lost) &&
        e.data.attempt === lost.data.attempt + 1,
    )
    const rerun = events.find((e) => e.type === 'UnitSucceeded' && unitKey(e) === unitKey(lost))
    const ranOn = events.find(
      (e) =>
        e.type === 'UnitStarted' &&
        rerun?.type === 'UnitSucceeded' &&
        unitKey(e) === unitKey(lost) &&
        e.data.attempt === rerun.data.attempt,
    )
    // Re-run elsewhere: its successful attempt started on the surviving worker.
    expect(ranOn?.type === 'UnitStarted' && ranOn.data.worker.endsWith(`-${survivor.process.pid}`)).toBe(true)
    expect(redispatch).toBeDefined()
    lines.push(
      `shard ${lost.data.shard} attempt ${lost.data.attempt} (worker ${lost.data.worker}): ` +
        `kill→UnitWorkerLost ${Date.parse(lost.at) - killedAt} ms, ` +
        `kill→retry notBefore ${retry?.type === 'UnitRetryScheduled' ? Date.parse(retry.data.notBefore) - killedAt : NaN} ms, kill→UnitDispatched (attempt ${redispatch?.type === 'UnitDispatched' ? redispatch.data.attempt : '?'}) ${redispatch ? Date.parse(redispatch.at) - killedAt : NaN} ms`,
    )
  }
  const runTimes = events
    .flatMap((done) => {
      if (done.type !== 'UnitSucceeded' || done.data.step !== MFCC) return []
      const start = events.find(
        (e) =>
          e.type === 'UnitStarted' && unitKey(e) === unitKey(done) && e.data.attempt === done.data.attempt,
      )
      return start ? [Date.parse(done.at) - Date.parse(start.at)] : []
    })
    .sort((a, b) => a - b)
  console.log(
    `worker kill during MFCC shards (lease ${LEASE_MS} ms, heartbeat 200 ms, backoff 500 ms):\n  ` +
      `the kill landed ${killedAt - Date.parse(victimStart.at)} ms after the victim's UnitStarted (median shard run ${runTimes[Math.floor(runTimes.length / 2)]} ms)\n  ` +
      `${lines.join('\n  ')}\n  pipeline: ${detail!.tasks[MFCC]!.shards.total} shards, ${total} ms from submission to end`,
  )

  // Nothing ran twice to success, and the merged output lists every WAV once, in item order.
  const succeeded = events.filter((e) => e.type === 'UnitSucceeded').map(unitKey)
  expect(new Set(succeeded).size).toBe(succeeded.length)
  expect(detail!.tasks[MFCC]!.shards).toEqual({ total: 15, succeeded: 15, running: 0 })
  const manifest = (await (await fetch(`${monitor.url}/api/blobs/${detail!.output}`)).json()) as {
    items: { id: string; mfcc?: string }[]
  }
  expect(manifest.items).toHaveLength(60)
  expect(manifest.items.every((i) => typeof i.mfcc === 'string')).toBe(true)
})
