import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A `redis-server` this benchmark started, on 127.0.0.1, with its data in a temp folder. */
export interface RedisServer {
  port: number
  pid: number
  /** Stops it (SIGTERM, SIGKILL after 10 s) and deletes its folder. */
  stop(): Promise<void>
}

/**
 * Starts `redis-server` (apt's) durable as the peer benchmark states: AOF on, fsync on every
 * write (`appendfsync always`), no RDB snapshots; resolves once it accepts connections.
 */
export async function startRedisServer(port: number): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'banzai-bench-redis-'))
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes']
  args.push('--appendfsync', 'always', '--dir', dir, '--save', '')
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 30_000)
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      out = (out + chunk.toString()).slice(-4000)
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  return {
    port,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
