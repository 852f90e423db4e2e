// Loaded with `NODE_OPTIONS=--import` into a process to profile (node refuses `--cpu-prof` in
// NODE_OPTIONS): samples its CPU with V8's profiler from start to exit, then writes
// `$BANZAI_BENCH_CPU_PROFILE_DIR/cpu.<pid>.cpuprofile`. Nothing happens without that variable.
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { join } from 'node:path'

const dir = process.env.BANZAI_BENCH_CPU_PROFILE_DIR
if (dir) {
  const session = new Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.setSamplingInterval', { interval: 1000 })
  session.post('Profiler.start')
  // A session in the same thread answers synchronously, so this completes inside the exit handler.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) console.error('cpu profile:', error)
      else writeFileSync(join(dir, `cpu.${process.pid}.cpuprofile`), JSON.stringify(result.profile))
    })
  })
}
