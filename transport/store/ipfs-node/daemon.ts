import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A js-ipfs daemon started for a test, with its own repo in a temp folder. */
export interface IpfsDaemon {
  /** Base URL of its RPC API, e.g. `http://127.0.0.1:40123`. */
  apiUrl: string
  /** Its swarm address with peer id, for `swarm connect`. */
  peerAddr: string
  /** Stops the daemon (SIGTERM, SIGKILL after 10 s) and removes its repo. */
  stop(): Promise<void>
}

const CLI = fileURLToPath(new URL('./node_modules/ipfs/src/cli.js', import.meta.url))
/** How long a daemon may take to answer its API (ms); ~2–4 s is usual. */
const READY_TIMEOUT_MS = 60_000
const POLL_MS = 50

/** Whether js-ipfs is installed here (by `setup.sh`). */
export function isIpfsInstalled(): boolean {
  return existsSync(CLI)
}

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
}

function captureOutput(child: ChildProcess): () => string {
  let text = ''
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString()).slice(-4000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return () => text
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/** Config merged at `--init`: port 0 everywhere (the OS picks free ports; the API's is written to `<repo>/api`). */
const INIT_CONFIG = {
  Addresses: {
    API: '/ip4/127.0.0.1/tcp/0',
    Gateway: '/ip4/127.0.0.1/tcp/0',
    RPC: '/ip4/127.0.0.1/tcp/0',
    Swarm: ['/ip4/127.0.0.1/tcp/0'],
  },
  Discovery: { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } },
  Bootstrap: [],
}

async function pollApi(
  repo: string,
  daemon: ChildProcess,
  output: () => string,
): Promise<{ apiUrl: string; peerAddr: string }> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (daemon.exitCode !== null)
      throw new Error(`js-ipfs daemon exited with ${daemon.exitCode}: ${output()}`)
    const api = await readFile(join(repo, 'api'), 'utf8').catch(() => '')
    const match = /\/ip4\/([\d.]+)\/tcp\/(\d+)/.exec(api)
    if (match) {
      const apiUrl = `http://${match[1]}:${match[2]}`
      const response = await fetch(`${apiUrl}/api/v0/id`, { method: 'POST' }).catch(() => null)
      if (response?.ok) {
        const id = (await response.json()) as { Addresses?: string[] }
        const peerAddr = id.Addresses?.find((addr) => addr.startsWith('/ip4/127.0.0.1/tcp/'))
        if (peerAddr) return { apiUrl, peerAddr }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  throw new Error(`js-ipfs daemon not ready after ${READY_TIMEOUT_MS} ms: ${output()}`)
}

/**
 * Starts a js-ipfs daemon (`daemon --init-profile test`: a temp repo, API and swarm on free
 * 127.0.0.1 ports, no bootstrap or mDNS) and resolves once its API answers `id`.
 */
export async function startIpfsDaemon(): Promise<IpfsDaemon> {
  if (!isIpfsInstalled()) throw new Error('js-ipfs is not installed: run transport/store/ipfs-node/setup.sh')
  const home = await mkdtemp(join(tmpdir(), 'banzai-ipfs-'))
  const repo = join(home, 'repo')
  const env = { ...process.env, IPFS_PATH: repo, IPFS_MONITORING: '', DEBUG: '' }
  await writeFile(join(home, 'init-config.json'), JSON.stringify(INIT_CONFIG))
  // One process inits the repo (test profile: no bootstrap, fast keys) and starts the daemon.
  const daemon = run(
    ['daemon', '--init-profile', 'test', '--init-config', join(home, 'init-config.json')],
    env,
  )
  const output = captureOutput(daemon)
  const stop = async (): Promise<void> => {
    if (daemon.exitCode === null && daemon.signalCode === null) {
      const exited = waitForExit(daemon)
      daemon.kill('SIGTERM')
      const timer = setTimeout(() => daemon.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    await rm(home, { recursive: true, force: true })
  }
  try {
    return { ...(await pollApi(repo, daemon, output)), stop }
  } catch (error) {
    await stop()
    throw error
  }
}
