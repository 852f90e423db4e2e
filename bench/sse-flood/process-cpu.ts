import { readFileSync } from 'node:fs'

/** CPU time a process has used, ms: all its threads, and its main thread (the event loop) alone. */
export interface ProcessCpu {
  processMs: number
  mainThreadMs: number
}

const TICK_MS = 10 // USER_HZ is 100 on Linux

function readTicks(path: string): number {
  // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12])
}

/**
 * Reads the CPU time of `pid` from /proc (10 ms resolution); null off Linux. The main thread's
 * time is what a flood costs the monitor's event loop, whatever else runs on the machine.
 */
export function readProcessCpu(pid: number): ProcessCpu | null {
  try {
    return {
      processMs: readTicks(`/proc/${pid}/stat`) * TICK_MS,
      mainThreadMs: readTicks(`/proc/${pid}/task/${pid}/stat`) * TICK_MS,
    }
  } catch {
    return null
  }
}

/** The 10-second CPU pressure of the machine (share of time some task waited for a CPU), or null. */
export function readCpuPressure(): number | null {
  try {
    const line = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0]!
    return Number(/avg10=([\d.]+)/.exec(line)?.[1] ?? Number.NaN)
  } catch {
    return null
  }
}
