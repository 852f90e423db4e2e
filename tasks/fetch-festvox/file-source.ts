import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A local zip a `file:` URL names, after every check. */
export interface LocalZip {
  /** The real path (symlinks resolved). */
  path: string
  size: number
  /** Real path, size and mtime: unchanged means the same zip, so it need not be copied again. */
  stamp: string
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

async function realRoots(roots: string[]): Promise<string[]> {
  const out: string[] = []
  for (const root of roots) {
    try {
      out.push(await realpath(root))
    } catch {
      // A configured root that does not exist holds nothing to read.
    }
  }
  return out
}

/**
 * Resolves a `file:` URL to a regular file under one of the allowed roots. The path is resolved
 * with realpath first, so neither `..` nor a symlink can lead outside. Throws a plain
 * (non-retryable) Error naming the URL and the allowed roots.
 */
export async function resolveFileUrl(url: string, allowedRoots: string[]): Promise<LocalZip> {
  let path: string
  try {
    path = fileURLToPath(url)
  } catch (error) {
    throw new Error(
      `${url}: not a local file URL (${error instanceof Error ? error.message : String(error)})`,
    )
  }
  const rootsText =
    allowedRoots.length === 0 ? 'none are configured' : `allowed roots: ${allowedRoots.join(', ')}`
  const roots = await realRoots(allowedRoots)
  const refused = new Error(`${url}: refused, the file is outside the allowed roots (${rootsText})`)
  let real: string
  try {
    real = await realpath(path)
  } catch {
    // Say "missing" only inside the roots: outside, this must not tell which files exist.
    const lexical = resolve(path)
    if (![...roots, ...allowedRoots].some((root) => isInside(resolve(root), lexical))) throw refused
    throw new Error(`${url}: no such file`)
  }
  if (!roots.some((root) => isInside(root, real))) throw refused
  const info = await stat(real)
  if (!info.isFile()) throw new Error(`${url}: not a regular file`)
  return { path: real, size: info.size, stamp: `${real}:${info.size}:${info.mtimeMs}` }
}
