// The command line's start-up against a bare `node -e 0`, by repeated spawns (interleaved, so
// load from other processes falls on every case alike), a spawned worker's time to ready, and
// a second `banzai demo` in the same data folder. Needs the build: `npm run build` first.
// Usage: node --import tsx bench/cli-startup/run.ts [--quick]
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePorts } from '../../test/support/banzai-processes.ts'
import { loadNow, machineInfo } from '../support/machine.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const CLI = join(ROOT, 'dist/bin/cli.js')
const quick = process.argv.includes('--quick')
const RUNS = quick ? 7 : 21
if (!existsSync(CLI)) throw new Error('bench/cli-startup measures the build: run `npm run build` first')

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function timeSpawn(args: string[]): number {
  const started = performance.now()
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' })
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`)
  return performance.now() - started
}

/** Starts `banzai monitor` on a fresh folder; resolves with its URL and a stop function. */
async function startMonitor(data: string): Promise<{ url: string; stop: () => void }> {
  const [port, zmqPort] = [await freePorts(1), await freePorts(4)]
  const child = spawn(
    process.execPath,
    [
      CLI,
      'monitor',
      '--data',
      data,
      '--port',
      String(port),
      '--zmq-port',
      String(zmqPort),
      '--log-level',
      'warn',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise<void>((ok) =>
    child.stdout.on('data', (c: Buffer) => c.toString().includes('banzai monitor') && ok()),
  )
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') }
}

/** Spawns a worker and resolves with the ms until it logs "worker ready" (connected, taking orders). */
function timeWorkerReady(url: string, data: string): Promise<number> {
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [CLI, 'worker', '--monitor', url, '--data', data, '--log-format', 'json', '--log-level', 'info'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  return new Promise((ok, fail) => {
    let readyMs: number | null = null
    child.stderr.on('data', (c: Buffer) => {
      if (readyMs !== null || !c.toString().includes('"worker ready"')) return
      readyMs = performance.now() - started
      child.kill('SIGTERM')
    })
    child.once('exit', (code) =>
      readyMs !== null ? ok(readyMs) : fail(new Error(`worker exited ${code} before ready`)),
    )
  })
}

function timeDemo(data: string, port: number, zmqPort: number): number {
  const started = performance.now()
  const run = spawnSync(
    process.execPath,
    [
      CLI,
      'demo',
      '--data',
      data,
      '--port',
      String(port),
      '--zmq-port',
      String(zmqPort),
      '--log-level',
      'warn',
    ],
    { cwd: ROOT, stdio: 'ignore' },
  )
  if (run.status !== 0) throw new Error(`demo exited ${run.status}`)
  return performance.now() - started
}

const loadBefore = loadNow()
const data = mkdtempSync(join(tmpdir(), 'banzai-bench-cli-'))
const monitor = await startMonitor(join(data, 'monitor'))
const cases: { name: string; args: string[]; limit: number | null }[] = [
  { name: 'node -e 0', args: ['-e', '0'], limit: null },
  { name: 'banzai --help', args: [CLI, '--help'], limit: 1.5 },
  { name: 'banzai --version', args: [CLI, '--version'], limit: 1.5 },
  { name: 'banzai keygen', args: [CLI, 'keygen'], limit: null },
  { name: 'banzai validate FILE', args: [CLI, 'validate', 'examples/three-speakers.json'], limit: 2.5 },
  { name: 'banzai status', args: [CLI, 'status', '--monitor', monitor.url], limit: 2.5 },
  { name: 'banzai workers', args: [CLI, 'workers', '--monitor', monitor.url], limit: 2.5 },
  { name: 'banzai tasks', args: [CLI, 'tasks', '--monitor', monitor.url], limit: 2.5 },
]
const times = cases.map(() => [] as number[])
for (let i = 0; i < RUNS; i++) cases.forEach((c, j) => times[j]!.push(timeSpawn(c.args)))
const worker: number[] = []
for (let i = 0; i < (quick ? 3 : 7); i++)
  worker.push(await timeWorkerReady(monitor.url, join(data, 'worker')))
monitor.stop()
const [port, zmqPort] = [await freePorts(1), await freePorts(4)]
const demoData = join(data, 'demo')
const demoFirst = timeDemo(demoData, port, zmqPort)
const demoAgain = timeDemo(demoData, port, zmqPort)
rmSync(data, { recursive: true, force: true })

const nodeMs = median(times[0]!)
const rows = cases.map((c, j) => {
  const ms = median(times[j]!)
  const ratio = ms / nodeMs
  return {
    name: c.name,
    medianMs: Math.round(ms),
    bestMs: Math.round(Math.min(...times[j]!)),
    ratio,
    limit: c.limit,
    met: c.limit === null ? null : ratio <= c.limit,
  }
})
const workerMs = median(worker)
const report = {
  machine: machineInfo(loadBefore),
  runs: RUNS,
  spawns: rows,
  workerReadyMs: {
    median: Math.round(workerMs),
    best: Math.round(Math.min(...worker)),
    limit: 1000,
    met: workerMs <= 1000,
  },
  demo: {
    firstMs: Math.round(demoFirst),
    againMs: Math.round(demoAgain),
    limit: 3000,
    met: demoAgain <= 3000,
  },
}
const m = report.machine
const md = [
  '# Command-line start-up',
  '',
  `Median of ${RUNS} interleaved spawns of the built CLI (\`dist/\`) against a bare \`node -e 0\`; ${m.node} on ${m.cpu}`,
  `(${m.cores} cores, 1-min load average ${m.loadAverage1m.before.toFixed(1)} before, ${m.loadAverage1m.after.toFixed(1)} after: other processes share the machine and slow every figure).`,
  '',
  '| command | median ms | best ms | × node | goal |',
  '| --- | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.medianMs} | ${r.bestMs} | ${r.ratio.toFixed(2)} | ${r.limit === null ? '' : `≤ ${r.limit}× (${r.met ? 'met' : 'not met'})`} |`,
  ),
  '',
  `A spawned worker logs "worker ready" (ZeroMQ connected, taking orders) after ${report.workerReadyMs.median} ms (median, best ${report.workerReadyMs.best}; goal ≤ 1000 ms: ${report.workerReadyMs.met ? 'met' : 'not met'}).`,
  `\`banzai demo\`: ${(demoFirst / 1000).toFixed(1)} s on a fresh folder, ${(demoAgain / 1000).toFixed(1)} s again in the same folder (goal ≤ 3 s: ${report.demo.met ? 'met' : 'not met'}).`,
  'Client commands (`run`, `status`, `events`, `logs`, `workers`, `tasks`, `get`, `validate`, …) run one esbuild bundle (dist/bin/client-program.js and its chunks) and speak node:http rather than fetch.',
  `Made by \`npm run build && node --import tsx bench/cli-startup/run.ts\` on ${m.date}.`,
  '',
].join('\n')
await mkdir(resolve(ROOT, 'bench/results'), { recursive: true })
await writeFile(resolve(ROOT, 'bench/results/cli-startup.json'), JSON.stringify(report, null, 2) + '\n')
await writeFile(resolve(ROOT, 'bench/results/cli-startup.md'), md)
console.log(md)
