/**
 * Makes a local worker of `up` / `demo` stop when its parent dies: every `intervalMs` (default
 * 250) it compares its parent pid with `BANZAI_PARENT_PID`; once they differ (the parent died
 * and the worker was re-parented) it sends itself SIGTERM, so the usual graceful stop runs.
 * Without the variable (a worker started by hand) it does nothing.
 */
export function stopWhenParentDies(
  log: (msg: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  intervalMs = 250,
): void {
  const expected = Number(env.BANZAI_PARENT_PID)
  if (!Number.isInteger(expected) || expected <= 0) return
  const timer = setInterval(() => {
    if (process.ppid === expected) return
    clearInterval(timer)
    log(`parent process ${expected} is gone: stopping this worker`)
    process.kill(process.pid, 'SIGTERM')
  }, intervalMs)
  timer.unref()
}
