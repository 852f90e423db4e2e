import { accessSync, constants, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * Resolves the data folder, creating it if needed, and checks that this process may write in it;
 * otherwise throws an Error naming the folder and the reason (permissions, read-only mount, a file
 * in the way), before anything half-starts.
 */
export function prepareDataFolder(dir: string): string {
  const data = resolve(dir)
  try {
    mkdirSync(data, { recursive: true })
    accessSync(data, constants.W_OK)
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : ''
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'read-only file system'
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'a file is in the way'
            : error instanceof Error
              ? error.message
              : String(error)
    throw new Error(`the data folder ${data} cannot be written (${why}${code ? `, ${code}` : ''})`)
  }
  return data
}
