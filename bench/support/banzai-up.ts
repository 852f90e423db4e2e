import { readFileSync } from 'node:fs'
import { freePorts, ApiHelper } from '../../test/support/banzai-processes.ts'
import { type Child, spawnTs } from '../../test/support/child-process.ts'

/** A running `banzai up`: monitor + API + N worker processes, on its own data folder and ports. */
export interface BanzaiUp {
  url: string
  api: ApiHelper
  child: Child
  /** Process ids of the worker processes `up` started (its children). */
  workerPids(): number[]
  /** Stops it with SIGTERM (workers first, as `up` does) and waits; SIGKILL after 20 s. */
  stop(): Promise<void>
}

/** Reads the ids of a process's direct children from /proc (Linux). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
  } catch {
    return []
  }
}

/**
 * Starts `banzai up --workers N` on free ports with warn-level logs; resolves once it printed
 * `banzai is up` and the monitor lists all N workers. Slots per worker: 1 unless given; lease:
 * the monitor's default (5 s) unless `leaseMs` is given.
 */
export async function startBanzaiUp(options: {
  data: string
  workers: number
  slots?: number
  leaseMs?: number
  env?: Record<string, string>
}): Promise<BanzaiUp> {
  const zmqPort = await freePorts(3)
  const port = await freePorts(1)
  const args = [
    'up',
    '--data',
    options.data,
    '--port',
    String(port),
    '--zmq-port',
    String(zmqPort),
    '--workers',
    String(options.workers),
    '--slots',
    String(options.slots ?? 1),
    '--log-level',
    'warn',
    ...(options.leaseMs === undefined ? [] : ['--lease-ms', String(options.leaseMs)]),
  ]
  const child = spawnTs('bin/banzai.js', args, options.env)
  const line = await child.waitForLine((l) => l.startsWith('banzai is up: '), '`banzai up` to start', 120_000)
  const url = /banzai is up: (\S+)/.exec(line)?.[1] ?? `http://127.0.0.1:${port}`
  const api = new ApiHelper(url)
  await api.until(
    async () => (await api.workers()).length >= options.workers,
    `${options.workers} worker(s) to be listed`,
    120_000,
  )
  const pid = child.process.pid ?? 0
  return {
    url,
    api,
    child,
    workerPids: () => childPids(pid),
    async stop() {
      if (child.process.exitCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
      await child.exited
      clearTimeout(timer)
    },
  }
}
