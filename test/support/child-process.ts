import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The project root, for spawning scripts. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** A spawned TypeScript process whose output lines can be awaited. */
export interface Child {
  process: ChildProcess
  lines: string[]
  /** Resolves with the first line (seen before or after the call) that matches. */
  waitForLine(match: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>
  /** Resolves when the process has exited. */
  exited: Promise<number | null>
  kill(signal?: NodeJS.Signals): void
  /** The last 4000 characters the process wrote to stderr. */
  stderr(): string
}

/**
 * Spawns `node [NODE_ARGS] --import tsx SCRIPT ARGS` from the project root (as another user when
 * `uid` is given).
 */
export function spawnTs(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  options: { uid?: number; nodeArgs?: string[] } = {},
): Child {
  return spawnNode([...(options.nodeArgs ?? []), '--import', 'tsx', script, ...args], env, options)
}

/** Spawns the built command line, `node dist/bin/cli.js ARGS` (`npm test` builds first). */
export function spawnBuilt(
  args: string[],
  env: Record<string, string> = {},
  options: { uid?: number } = {},
): Child {
  return spawnNode(['dist/bin/cli.js', ...args], env, options)
}

function spawnNode(nodeArgs: string[], env: Record<string, string>, options: { uid?: number }): Child {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
  })
  const lines: string[] = []
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = []
  let buffer = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const parts = buffer.split('\n')
    buffer = parts.pop() ?? ''
    for (const line of parts) {
      lines.push(line)
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(line)
        }
      }
    }
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    process: child,
    lines,
    exited,
    kill: (signal = 'SIGKILL') => child.kill(signal),
    stderr: () => stderr,
    waitForLine(match, what, timeoutMs = 60_000) {
      const seen = lines.find(match)
      if (seen !== undefined) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${what}; stderr: ${stderr}`)),
          timeoutMs,
        )
        void exited.then((code) => {
          clearTimeout(timer)
          reject(new Error(`process exited (${code}) before ${what}; stderr: ${stderr}`))
        })
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer)
            resolve(line)
          },
        })
      })
    },
  }
}
