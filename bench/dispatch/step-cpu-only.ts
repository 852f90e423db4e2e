// Benchmark (not a test): only the monitor-CPU-per-step phases of bench/dispatch (4-step NOOP
// pipelines on `banzai up --workers 1 --slots 10`: 200 one after another, then 500 at once).
// Writes bench/results/dispatch-step-cpu.json and .md.
// Usage: node --import tsx bench/dispatch/step-cpu-only.ts
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadNow, machineInfo } from '../support/machine.ts'
import { measureStepCpu, stepCpuMarkdown } from './step-cpu.ts'

const loadBefore = loadNow()
const stepCpu = await measureStepCpu({ warmup: 20, sequential: 200, concurrent: 500 })
const report = { date: new Date().toISOString(), machine: machineInfo(loadBefore), stepCpu }
const dir = new URL('../results/', import.meta.url)
mkdirSync(dir, { recursive: true })
writeFileSync(new URL('dispatch-step-cpu.json', dir), `${JSON.stringify(report, null, 2)}\n`)
const m = report.machine
writeFileSync(
  new URL('dispatch-step-cpu.md', dir),
  [
    ...stepCpuMarkdown(stepCpu),
    '',
    `${m.node} on ${m.cpu} (${m.cores} cores, shared: 1-min load average ${m.loadAverage1m.before} before, ${m.loadAverage1m.after} after).`,
    `Made by \`node --import tsx bench/dispatch/step-cpu-only.ts\` on ${report.date}.`,
    '',
  ].join('\n'),
)
process.exit(0)
