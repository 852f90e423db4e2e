// Benchmark (not a test): only the worker-SIGKILL phase of bench/dispatch (SIGKILL of a worker
// mid-unit → UnitWorkerLost → the next UnitDispatched, read from the events).
// Writes bench/results/dispatch-worker-kill.json and .md.
// Usage: node --import tsx bench/dispatch/worker-kill-only.ts [--kills 10]
import { mkdirSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { loadNow, machineInfo } from '../support/machine.ts'
import { measureWorkerKill, workerKillMarkdown } from './worker-kill.ts'

const { values: flags } = parseArgs({ options: { kills: { type: 'string', default: '10' } } })
const loadBefore = loadNow()
const workerKill = await measureWorkerKill(Number(flags.kills))
const report = { date: new Date().toISOString(), machine: machineInfo(loadBefore), workerKill }
const dir = new URL('../results/', import.meta.url)
mkdirSync(dir, { recursive: true })
writeFileSync(new URL('dispatch-worker-kill.json', dir), `${JSON.stringify(report, null, 2)}\n`)
const m = report.machine
const md = [
  // A page of its own: the h1 the results README makes a section of, in place of dispatch.md's h3.
  '# Worker SIGKILL → next dispatch (bench/dispatch)',
  ...workerKillMarkdown(workerKill).slice(1),
  '',
  `${m.node} on ${m.cpu} (${m.cores} cores, shared: 1-min load average ${m.loadAverage1m.before} before, ${m.loadAverage1m.after} after).`,
  `Made by \`node --import tsx bench/dispatch/worker-kill-only.ts --kills ${flags.kills}\` on ${report.date}.`,
  '',
].join('\n')
writeFileSync(new URL('dispatch-worker-kill.md', dir), md)
console.log(md)
process.exit(0)
