import { readFileSync } from 'node:fs'

// Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ, `getconf CLK_TCK`).
const TICKS_PER_SECOND = 100

/** CPU time (user + system, all threads) a live process has used so far, seconds; 0 if it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which sits in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

/** Total CPU seconds of several processes. */
export function totalCpuSeconds(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0)
}
