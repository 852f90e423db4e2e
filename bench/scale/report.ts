import { writeFileSync } from 'node:fs'
import type { MachineInfo } from '../support/machine.ts'

/** One run of the seed's pipeline on the scale corpus. */
export interface SeedRun {
  workers: number
  wallSeconds: number
  steps: {
    call: string
    wallSeconds: number
    shards: number
    workerCpuSeconds: number
    stats: Record<string, number>
  }[]
  items: number
  monitorCpuSeconds: number
  monitorPeakRssMb: number
  eventBytesPerItem: number
  events: number
  learnSecondsPerEpoch: number
  epochs: number
  accuracy: number | null
}

/** bench/results/scale.json. */
export interface ScaleReport extends MachineInfo {
  corpus: { voices: number; prompts: number; wavs: number; hours: number; megabytes: number } | null
  linearity: {
    items: number
    makeSeconds: number
    echoSeconds: number
    echoMsPerItem: number
    shards: number
    eventBytesPerItem: number
  }[]
  seed: SeedRun[]
}

const f = (n: number, digits = 1): string => n.toFixed(digits)

/** Writes the Markdown page of the scale benchmark. */
export function writeScaleReport(path: string, r: ScaleReport): void {
  const base = r.linearity[0]
  const lines = [
    '# Scale benchmark (issue 13)',
    '',
    `${r.date}, Node ${r.node}, ${r.cores} × ${r.cpu}; load average ${f(r.loadAverage1m.before)} before, ${f(r.loadAverage1m.after)} after (the machine is shared).`,
    'Re-run: `node --import tsx bench/scale/run.ts` (corpus: `bench/scale/make-corpus.ts`, cached).',
    '',
    '## Linearity: MAKE_DATASET(n) → ECHO_ITEMS, 2 workers',
    '',
    '| items | shards | MAKE_DATASET s | ECHO_ITEMS s | ECHO ms/item | × of 1k | event-log bytes/item |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...r.linearity.map(
      (x) =>
        `| ${x.items} | ${x.shards} | ${f(x.makeSeconds, 2)} | ${f(x.echoSeconds, 2)} | ${f(x.echoMsPerItem, 3)} | ${base ? f(x.echoSeconds / base.echoSeconds, 1) : '-'} | ${f(x.eventBytesPerItem, 0)} |`,
    ),
    '',
  ]
  if (r.corpus) {
    const c = r.corpus
    lines.push(
      `## The seed's pipeline on ${c.voices} voices × ${c.prompts} prompts = ${c.wavs} WAVs (${f(c.hours, 2)} h, ${f(c.megabytes, 0)} MB of zips)`,
      '',
      '| workers | total s | ' +
        (r.seed[0]?.steps.map((s) => `${s.call} s`).join(' | ') ?? '') +
        ' | monitor peak RSS MB | monitor CPU s | event-log bytes/item | LEARN s/epoch | held-out accuracy |',
      '|---:|---:|' + (r.seed[0]?.steps.map(() => '---:').join('|') ?? '') + '|---:|---:|---:|---:|---:|',
      ...r.seed.map(
        (s) =>
          `| ${s.workers} | ${f(s.wallSeconds)} | ${s.steps.map((x) => f(x.wallSeconds)).join(' | ')} | ${f(s.monitorPeakRssMb, 0)} | ${f(s.monitorCpuSeconds)} | ${f(s.eventBytesPerItem, 1)} | ${f(s.learnSecondsPerEpoch, 2)} | ${s.accuracy === null ? '-' : f(s.accuracy, 3)} |`,
      ),
      '',
      'Per-item overhead per step (wall ms per fetched item, worker CPU ms per item):',
      '',
      ...r.seed.flatMap((s) =>
        s.steps.map(
          (x) =>
            `- ${s.workers} worker(s), ${x.call}: ${f((x.wallSeconds * 1000) / s.items, 2)} wall ms/item, ${f((x.workerCpuSeconds * 1000) / s.items, 2)} worker CPU ms/item, ${x.shards} shard(s)`,
        ),
      ),
      '',
    )
  }
  writeFileSync(path, lines.join('\n'))
}
