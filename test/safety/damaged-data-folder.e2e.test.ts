import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect, test } from 'vitest'
import { PROJECT_ROOT, spawnTs } from '../support/child-process.ts'
import { useProcessScope } from '../support/process-scope.ts'
import { freePorts, tempDataDir } from '../support/banzai-processes.ts'

// A damaged data folder is named, never taken for an empty history: `banzai monitor` exits non-zero
// with the path and the reason, before it listens.
const { children, cleanups } = useProcessScope()

async function startOn(
  data: string,
  options: { uid?: number } = {},
): Promise<{ code: number | null; stderr: string }> {
  const [port, zmq] = [await freePorts(1), await freePorts(3)]
  const args = ['monitor', '--data', data, '--port', String(port), '--zmq-port', String(zmq)]
  const child = spawnTs('bin/banzai.js', args, {}, options.uid !== undefined ? { uid: options.uid } : {})
  children.push(child)
  const code = await child.exited
  return { code, stderr: child.stderr() }
}

function freshDir(): string {
  const dir = tempDataDir('banzai-damaged-')
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('a 0-byte banzai.db is refused with its path', async () => {
  const data = freshDir()
  writeFileSync(join(data, 'banzai.db'), '')
  const { code, stderr } = await startOn(data)
  expect(code).toBe(1)
  expect(stderr).toContain(`${join(data, 'banzai.db')} is empty (0 bytes)`)
})

test('a banzai.db that is not SQLite is refused with its path and the reason', async () => {
  const data = freshDir()
  writeFileSync(
    join(data, 'banzai.db'),
    'this is not a database, just text that is long enough to have a header\n'.repeat(20),
  )
  const { code, stderr } = await startOn(data)
  expect(code).toBe(1)
  expect(stderr).toContain(`cannot open the event log ${join(data, 'banzai.db')}`)
  expect(stderr).toContain('not an SQLite database')
})

/** Whether another user (`nobody`) can reach the project: every folder above it lets others through. */
function isReachableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false
    if (dirname(dir) === dir) return true
  }
}

// As root, the check runs the monitor as `nobody`, which needs to read the project: a clone inside
// a private folder (mode 700, as `mktemp -d` makes) cannot be tested that way, so it is skipped there.
test.skipIf(process.getuid?.() === 0 && !isReachableByOthers(PROJECT_ROOT))(
  'an unwritable data folder is refused with its path and the reason',
  async () => {
    const parent = freshDir()
    const data = join(parent, 'data')
    mkdirSync(data)
    chmodSync(parent, 0o755)
    chmodSync(data, 0o555)
    // Root writes through any permission bits: run the monitor as `nobody` then.
    const isRoot = process.getuid?.() === 0
    const { code, stderr } = await startOn(data, isRoot ? { uid: 65_534 } : {})
    expect(code).toBe(1)
    expect(stderr).toContain(`the data folder ${data} cannot be written (permission denied, EACCES)`)
  },
)
