import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEmbeddedStore } from './index.ts'
import { fileIdentity, PendingSyncs } from './embedded/pending-syncs.ts'
import { describeStoreContract } from './store-contract.ts'

const dirs: string[] = []

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'banzai-batch-'))
  dirs.push(dir)
  return dir
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describeStoreContract('embedded, sync: batch', async () =>
  createEmbeddedStore({ dir: await freshDir(), sync: 'batch' }),
)

describe('PendingSyncs', () => {
  it('syncs a few files one by one and many with one syncfs, tolerating files deleted since', async () => {
    const dir = await freshDir()
    for (const count of [3, 200]) {
      const pending = new PendingSyncs(dir)
      for (let i = 0; i < count; i++) {
        const path = join(dir, `f${count}-${i}`)
        await writeFile(path, `${i}`)
        pending.note(path)
      }
      pending.note(join(dir, 'deleted-since'))
      expect(pending.size).toBe(count + 1)
      await pending.flush()
      expect(pending.size).toBe(0)
    }
  })

  it('keeps the files noted when a sync fails, for the next flush', async () => {
    const dir = await freshDir()
    const pending = new PendingSyncs(dir)
    // A path under a regular file cannot be opened (ENOTDIR): the flush fails and keeps it.
    await writeFile(join(dir, 'plain'), 'x')
    pending.note(join(dir, 'plain', 'child'))
    await expect(pending.flush()).rejects.toMatchObject({ code: 'ENOTDIR' })
    expect(pending.size).toBe(1)
  })

  it('a file found in place is synced again only if this process has not synced that same file there', async () => {
    const dir = await freshDir()
    const pending = new PendingSyncs(dir)
    const path = join(dir, 'blob')
    await writeFile(path, 'x')
    pending.noteExisting(path, fileIdentity(await stat(path))) // put there by another process: synced
    expect(pending.size).toBe(1)
    await pending.flush()
    pending.noteExisting(path, fileIdentity(await stat(path))) // the same file, synced by us: nothing to do
    expect(pending.size).toBe(0)
    await rm(path)
    await writeFile(`${path}.tmp`, 'x')
    await rename(`${path}.tmp`, path) // replaced (a new file, maybe on the same inode number): synced again
    pending.noteExisting(path, fileIdentity(await stat(path)))
    expect(pending.size).toBe(1)
    await pending.flush()
    pending.note(path) // written by us again: always synced
    expect(pending.size).toBe(1)
  })
})
