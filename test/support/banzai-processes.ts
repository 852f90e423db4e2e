import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PipelineDetail, StoredEvent } from '../../core/domain/index.ts'
import { type Child, spawnTs } from './child-process.ts'

/** A fresh data folder. */
export function tempDataDir(prefix = 'banzai-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** `count` consecutive free TCP ports on 127.0.0.1 (for the monitor's ZeroMQ sockets). */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000)
    const checks = await Promise.all(Array.from({ length: count }, (_, i) => isPortFree(base + i)))
    if (checks.every(Boolean)) return base
  }
  throw new Error('no free port range found')
}

/** A `banzai monitor` child process. */
export interface MonitorProcess {
  child: Child
  url: string
  api: ApiHelper
}

/** Starts `banzai monitor` with short lease settings; resolves once it serves HTTP. */
export async function startMonitorProcess(options: {
  data: string
  port: number
  zmqPort: number
  lanes?: string[]
  leaseMs?: number
  shardSize?: number
  env?: Record<string, string>
  /** Flags for node itself, such as `--cpu-prof`. */
  nodeArgs?: string[]
}): Promise<MonitorProcess> {
  const args = [
    'monitor',
    '--data',
    options.data,
    '--port',
    String(options.port),
    '--zmq-port',
    String(options.zmqPort),
    '--lanes',
    (options.lanes ?? ['default']).join(','),
    '--lease-ms',
    String(options.leaseMs ?? 1_000),
    '--shard-size',
    String(options.shardSize ?? 20),
    '--log-level',
    'warn',
  ]
  const child = spawnTs('bin/banzai.js', args, options.env, { nodeArgs: options.nodeArgs ?? [] })
  await child.waitForLine((l) => l.startsWith('banzai monitor: '), 'the monitor to listen', 60_000)
  const url = `http://127.0.0.1:${options.port}`
  return { child, url, api: new ApiHelper(url) }
}

/**
 * Starts `banzai worker` against a monitor; resolves once the monitor lists it. `discoveryUrl`
 * (default: the monitor's) is where the worker reads `GET /api/transport`.
 */
export async function startWorkerProcess(
  monitor: MonitorProcess,
  options: {
    data: string
    lanes?: string[]
    slots?: number
    heartbeatMs?: number
    discoveryUrl?: string
    env?: Record<string, string>
    waitListed?: boolean
  },
): Promise<Child> {
  const args = [
    'worker',
    '--monitor',
    options.discoveryUrl ?? monitor.url,
    '--data',
    options.data,
    '--lanes',
    (options.lanes ?? ['default']).join(','),
    '--slots',
    String(options.slots ?? 2),
    '--heartbeat-ms',
    String(options.heartbeatMs ?? 200),
    '--log-level',
    'warn',
  ]
  const child = spawnTs('bin/banzai.js', args, options.env)
  if (options.waitListed !== false) {
    const pid = child.process.pid
    await monitor.api.until(
      async () => (await monitor.api.workers()).some((w) => w.pid === pid),
      `worker ${pid} to be listed`,
    )
  }
  return child
}

/** The few API calls the process tests make. */
export class ApiHelper {
  constructor(
    readonly url: string,
    private readonly token = '',
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return JSON.parse(await this.text(method, path, body)) as T
  }

  /** The body of a request as text; throws on a status other than 2xx. */
  async text(method: string, path: string, body?: unknown): Promise<string> {
    const response = await fetch(`${this.url}/api${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`)
    return text
  }

  async submit(doc: unknown): Promise<string> {
    return (await this.call<PipelineDetail>('POST', '/pipelines', doc)).id
  }

  detail(id: string): Promise<PipelineDetail> {
    return this.call<PipelineDetail>('GET', `/pipelines/${id}`)
  }

  async events(id: string): Promise<StoredEvent[]> {
    const out: StoredEvent[] = []
    let after = 0
    for (;;) {
      const page = await this.call<{ events: StoredEvent[]; next: number | null }>(
        'GET',
        `/pipelines/${id}/events?after=${after}&limit=1000`,
      )
      out.push(...page.events)
      if (page.next === null) return out
      after = page.next
    }
  }

  async workers(): Promise<{ id: string; pid: number; lanes: string[]; inFlight: string[] }[]> {
    return (
      await this.call<{ workers: { id: string; pid: number; lanes: string[]; inFlight: string[] }[] }>(
        'GET',
        '/workers',
      )
    ).workers
  }

  /** The highest committed global seq (`GET /healthz`). */
  async lastSeq(): Promise<number> {
    return (await this.call<{ lastSeq: number }>('GET', '/healthz')).lastSeq
  }

  /** Polls a condition every 50 ms (the state lives in another process) until it holds. */
  async until(predicate: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs
    let lastError: unknown
    while (Date.now() < end) {
      try {
        if (await predicate()) return
      } catch (error) {
        lastError = error
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(
      `timed out waiting for ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ''}`,
    )
  }

  /** Waits until every pipeline has ended; returns their details. */
  async waitForEnd(ids: string[], timeoutMs = 90_000): Promise<PipelineDetail[]> {
    let details: PipelineDetail[] = []
    await this.until(
      async () => {
        details = await Promise.all(ids.map((id) => this.detail(id)))
        return details.every((d) => ['succeeded', 'failed', 'cancelled'].includes(d.status))
      },
      `${ids.length} pipeline(s) to end`,
      timeoutMs,
    )
    return details
  }
}
