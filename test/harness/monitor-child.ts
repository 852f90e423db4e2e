// A monitor child process for crash tests: an in-process deployment on a data folder that
// survives the process. Usage: monitor-child.ts DIR [--submit N]. Prints `committed <seq>`
// after every commit, `submitted <id>` per submission and `all-ended` once no pipeline is live.
import { join } from 'node:path'
import { catalogue, parsePipelineDocument } from '../../core/domain/index.ts'
import { createEmbeddedStore } from '../../transport/store/index.ts'
import { startInProcess } from './in-process.ts'

const [dir, flag, count] = process.argv.slice(2)
if (!dir) throw new Error('usage: monitor-child.ts DIR [--submit N]')
const store = await createEmbeddedStore({ dir: join(dir, 'store') })
const env = startInProcess({ dir, store, workers: 1, slots: 4, settings: { leaseMs: 600 } })
env.monitor.onCommitted((events) => process.stdout.write(`committed ${events[events.length - 1]!.seq}\n`))
if (flag === '--submit') {
  const n = Number(count)
  for (let i = 0; i < n; i++) {
    const doc = {
      name: `crash-${i}`,
      cache: false,
      tasks: [
        { call: 'SLEEP', args: [30 + ((i * 37) % 120)] },
        { call: 'MAKE_DATASET', args: [3 + i] },
        { call: 'ECHO_ITEMS', args: [5] },
      ],
    }
    const { id } = await env.monitor.submit(parsePipelineDocument(doc, catalogue))
    process.stdout.write(`submitted ${id}\n`)
  }
  process.stdout.write('submitted-all\n')
}
const check = () => {
  if (env.monitor.stats().livePipelines === 0 && env.queries.list({ limit: 1 }).items.length > 0)
    process.stdout.write('all-ended\n')
}
env.monitor.onCommitted(check)
check()
