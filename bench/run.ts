// `npm run bench`: runs every benchmark under bench/ one after another (each writes
// bench/results/<name>.json and .md), then gathers the figures into bench/results/README.md.
// Usage: npm run bench [-- NAME ...] [-- --quick] [-- --report-only]  (--report-only only gathers the existing results)
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('./', import.meta.url))
const results = fileURLToPath(new URL('./results/', import.meta.url))
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const reportOnly = args.includes('--report-only')
const wanted = args.filter((a) => !a.startsWith('--'))
const ORDER = ['event-log', 'dispatch', 'peer-bullmq', 'store', 'mfcc', 'learn', 'e2e']
const benches = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${root}${d.name}/run.ts`))
  .map((d) => d.name)
  .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99))
  .filter((name) => wanted.length === 0 || wanted.includes(name))

let failed = 0
for (const name of reportOnly ? [] : benches) {
  console.log(`\n== bench/${name}`)
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', `bench/${name}/run.ts`, ...(quick ? ['--quick'] : [])],
    { stdio: 'inherit', cwd: fileURLToPath(new URL('../', import.meta.url)) },
  )
  if (run.status !== 0) {
    failed++
    console.error(`bench/${name} failed (exit ${run.status})`)
  }
}

const sections = readdirSync(results)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .sort(
    (a, b) =>
      (ORDER.indexOf(a.replace('.md', '')) + 1 || 99) - (ORDER.indexOf(b.replace('.md', '')) + 1 || 99),
  )
  .map((f) => readFileSync(`${results}${f}`, 'utf8').trim().replace(/^# /, '## '))
writeFileSync(
  `${results}README.md`,
  `# Benchmark results\n\nWritten by \`npm run bench\`; each section comes from its own \`bench/<name>/run.ts\` (JSON beside it).\n\n${sections.join('\n\n')}\n`,
)
console.log(`\nbench/results/README.md written${failed ? `; ${failed} benchmark(s) failed` : ''}`)
process.exitCode = failed ? 1 : 0
