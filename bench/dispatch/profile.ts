// Profile (not a benchmark figure): runs bench/dispatch's 4-step measurement (200 NOOP pipelines
// one after another, then 500 at once, on `banzai up --workers 1 --slots 10`) with the monitor
// under V8's CPU profiler (what `node --cpu-prof` runs; see cpu-profile-hook.ts), and writes the functions and files that take its CPU during those
// two phases to bench/results/dispatch-profile.md. The `.cpuprofile` stays in a temp folder
// (kept with --keep). Hand-written text after the `<!-- reading -->` line of that file is kept.
// Usage: node --import tsx bench/dispatch/profile.ts [--quick] [--keep]
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { PROJECT_ROOT } from '../../test/support/child-process.ts'
import { loadNow, machineInfo } from '../support/machine.ts'
import { type ProfileSummary, readCpuProfile, summarizeProfile } from './cpu-profile.ts'
import { measureStepCpu } from './step-cpu.ts'

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } },
})
const SEQUENTIAL = flags.quick ? 40 : 200
const CONCURRENT = flags.quick ? 100 : 500
const TOP = 30

const dir = mkdtempSync(join(tmpdir(), 'banzai-bench-profile-'))
const loadBefore = loadNow()
// `banzai up` (and the worker it starts) load the hook, which profiles them until they exit.
const hook = fileURLToPath(new URL('./cpu-profile-hook.ts', import.meta.url))
const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --import tsx --import ${hook}`.trim()
const run = await measureStepCpu({
  warmup: 20,
  sequential: SEQUENTIAL,
  concurrent: CONCURRENT,
  env: { NODE_OPTIONS: nodeOptions, BANZAI_BENCH_CPU_PROFILE_DIR: dir },
})
const machine = machineInfo(loadBefore)
const file = readdirSync(dir).find((f) => f === `cpu.${run.monitorPid}.cpuprofile`)
if (file === undefined) throw new Error(`no CPU profile of the monitor (pid ${run.monitorPid}) was written`)
const profile = readCpuProfile(join(dir, file))
const projectUrl = pathToFileURL(PROJECT_ROOT).href
const phases = {
  allAtOnce: summarizeProfile(profile, [run.allAtOnce.monotonicUs], projectUrl),
  oneAfterAnother: summarizeProfile(profile, [run.oneAfterAnother.monotonicUs], projectUrl),
}
if (flags.keep) console.log(`profile kept: ${join(dir, file)}`)
else rmSync(dir, { recursive: true, force: true })

/** The part of the code a file belongs to: a project folder, an npm package, or Node itself. */
function areaOf(path: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (pkg) return `npm: ${pkg[1]}`
  if (path.startsWith('node:')) return 'node: internals'
  if (path.startsWith('(')) return path
  return path.split('/').slice(0, 2).join('/').replace(/\.ts$/, '') || path
}

function tables(s: ProfileSummary, steps: number): string[] {
  const busy = s.sampledMs - s.idleMs
  const pct = (ms: number): string => `${((100 * ms) / busy).toFixed(1)} %`
  const perStep = (ms: number): string => ((ms / steps) * 1000).toFixed(0)
  const fn = s.functions.filter((f) => f.name !== '(root)')
  const areas = new Map<string, number>()
  for (const f of s.files) areas.set(areaOf(f.file), (areas.get(areaOf(f.file)) ?? 0) + f.selfMs)
  const line = (f: { name: string; file: string; selfMs: number; totalMs: number }, ms: number): string =>
    `| \`${f.name}\` | \`${f.file}\` | ${f.selfMs} | ${f.totalMs} | ${pct(ms)} | ${perStep(ms)} |`
  return [
    `Busy (non-idle) samples: ${busy.toFixed(0)} ms of ${s.sampledMs.toFixed(0)} ms sampled, ${perStep(busy)} µs per step.`,
    '',
    '**By area** (self time of the files in each folder or package):',
    '',
    '| area | self ms | share | µs per step |',
    '| --- | ---: | ---: | ---: |',
    ...[...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 16)
      .map(([area, ms]) => `| ${area} | ${ms.toFixed(1)} | ${pct(ms)} | ${perStep(ms)} |`),
    '',
    `**Top ${TOP} by self time:**`,
    '',
    '| function | file:line | self ms | total ms | self share | self µs per step |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...[...fn]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, TOP)
      .map((f) => line(f, f.selfMs)),
    '',
    `**Top ${TOP} by total time** (the function and what it calls):`,
    '',
    '| function | file:line | self ms | total ms | total share | total µs per step |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...[...fn]
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, TOP)
      .map((f) => line(f, f.totalMs)),
  ]
}

const out = new URL('../results/dispatch-profile.md', import.meta.url)
const previous = existsSync(out) ? readFileSync(out, 'utf8') : ''
const marker = '<!-- reading -->'
const reading = previous.includes(marker) ? previous.slice(previous.indexOf(marker)) : `${marker}\n`
const steps = (p: { pipelines: number }): number => p.pipelines * run.stepsPerPipeline
const md = [
  '# Where the monitor’s CPU goes (profile)',
  '',
  'V8’s CPU profiler (what `node --cpu-prof` runs; 1 ms sampling, loaded by `dispatch/cpu-profile-hook.ts`) on the',
  `\`banzai up\` process (monitor, API, log, transport) while bench/dispatch's`,
  `4-step NOOP pipelines run on 1 worker with 10 slots: ${CONCURRENT} at once, and ${SEQUENTIAL} one after another. Only samples`,
  `taken during each phase count, and the phases profiled are the warm ones (after ${run.warmRounds} unmeasured rounds of both; see`,
  '`dispatch-step-cpu.md`). Under the profiler the monitor spent',
  `${run.allAtOnce.cpuMsPerStepByProcess.monitor} ms (at once) and ${run.oneAfterAnother.cpuMsPerStepByProcess.monitor} ms (one after another) of CPU per step (from \`/proc\`; the profiler adds some).`,
  'Samples are of the main thread’s wall time outside the event loop’s wait: time blocked in a system call (the',
  'commit’s fsync) counts, so *busy* per step exceeds the CPU per step. Lines of project files are found by the',
  'function’s name (tsx hands V8 each module on one line); anonymous functions of a file are summed as one.',
  '',
  `## ${CONCURRENT} pipelines at once`,
  '',
  ...tables(phases.allAtOnce, steps(run.allAtOnce)),
  '',
  `## ${SEQUENTIAL} pipelines one after another`,
  '',
  ...tables(phases.oneAfterAnother, steps(run.oneAfterAnother)),
  '',
  `${machine.node} on ${machine.cpu} (${machine.cores} cores, shared: 1-min load average ${loadBefore.toFixed(1)} before, ${machine.loadAverage1m.after.toFixed(1)} after).`,
  `Made by \`node --import tsx bench/dispatch/profile.ts${flags.quick ? ' --quick' : ''}\` on ${machine.date}.`,
  '',
  reading,
].join('\n')
writeFileSync(out, md)
console.log(md)
