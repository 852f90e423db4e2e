import { randomUUID } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'

/** The folder temporary downloads go to: `<dataDir>/tmp`, created on demand. */
export async function ensureTempDir(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'tmp')
  await mkdir(dir, { recursive: true })
  return dir
}

/** A fresh temp file path under `<dataDir>/tmp` (the file is not created). */
export async function makeTempPath(dataDir: string, suffix: string): Promise<string> {
  return join(await ensureTempDir(dataDir), `fetch-festvox-${randomUUID()}${suffix}`)
}

/** Removes a temp file; a missing file is fine. */
export async function removeTemp(path: string): Promise<void> {
  await rm(path, { force: true })
}
