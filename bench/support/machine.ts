import { cpus, loadavg } from 'node:os'

/** Where and when a benchmark ran: the header of every results file. */
export interface MachineInfo {
  date: string
  node: string
  cpu: string
  cores: number
  loadAverage1m: { before: number; after: number }
}

/** The 1-minute load average now (note it before a benchmark, and pass it to `machineInfo` after). */
export function loadNow(): number {
  return loadavg()[0]!
}

/** Describes the machine at the end of a benchmark that started at load average `loadBefore`. */
export function machineInfo(loadBefore: number): MachineInfo {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage1m: { before: loadBefore, after: loadNow() },
  }
}
