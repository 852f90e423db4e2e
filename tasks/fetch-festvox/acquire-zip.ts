import { createReadStream } from 'node:fs'
import type { Cid, TaskContext } from '../../core/domain/index.ts'
import { resolveFileUrl } from './file-source.ts'
import { downloadHttp } from './http-download.ts'
import type { DownloadLimits } from './limits.ts'
import { makeTempPath, removeTemp } from './temp-files.ts'
import { readUrlRecord, saveUrlRecord, type UrlRecord } from './validator-cache.ts'
import { writeChunksToFile } from './write-to-file.ts'

/** A zip in the store, and maybe on disk too (null when reused without reading its bytes). */
export interface AcquiredZip {
  zip: Cid
  size: number
  /** A temp file holding the zip (the caller removes it), or null. */
  path: string | null
  /** Whether the zip was known already (304, or an unchanged local file). */
  isReused: boolean
}

/**
 * Gets a URL's zip into the store: downloads it (or copies a `file:` under the allowed roots)
 * to a temp file under `<dataDir>/tmp` while hashing, then stores it streamed from that file.
 * A URL fetched before is revalidated; when unchanged, the known zip CID is reused.
 */
export async function acquireZip(
  url: string,
  ctx: TaskContext,
  limits: DownloadLimits,
): Promise<AcquiredZip> {
  const { dataDir } = ctx.settings
  const known = await readUrlRecord(dataDir, url)
  const usable = known !== null && (await ctx.store.has(known.zip)) ? known : null
  const path = await makeTempPath(dataDir, '.zip')
  try {
    const fetched = url.startsWith('file:')
      ? await copyLocal(url, path, usable, ctx, limits)
      : await fetchRemote(url, path, usable, ctx, limits)
    if (fetched.kind === 'reused') {
      await removeTemp(path)
      return { zip: fetched.record.zip, size: fetched.record.size, path: null, isReused: true }
    }
    const { cid, size } = await ctx.store.put(createReadStream(path))
    // The record outlives this unit: the zip it names must be durable first.
    await ctx.store.flush()
    await saveUrlRecord(dataDir, url, { ...fetched.record, zip: cid })
    ctx.log.info(`${url}: ${size} bytes, sha256 ${fetched.record.sha256}, stored as ${cid}`)
    return { zip: cid, size, path, isReused: false }
  } catch (error) {
    await removeTemp(path)
    throw error
  }
}

/** Either the zip known before (unchanged), or a new one written to the temp file. */
type Fetched = { kind: 'reused'; record: UrlRecord } | { kind: 'fresh'; record: Omit<UrlRecord, 'zip'> }

async function fetchRemote(
  url: string,
  path: string,
  usable: UrlRecord | null,
  ctx: TaskContext,
  limits: DownloadLimits,
): Promise<Fetched> {
  const validators = usable === null ? null : { etag: usable.etag, lastModified: usable.lastModified }
  const hasValidators =
    validators !== null && (validators.etag !== undefined || validators.lastModified !== undefined)
  const outcome = await downloadHttp(url, {
    path,
    validators: hasValidators ? validators : null,
    signal: ctx.signal,
    limits,
    onBytes: (done, total) => ctx.progress(done, total, 'bytes'),
    onRetry: (message) => ctx.log.warn(message),
    policy: { hosts: ctx.settings.fetchHosts ?? [], monitorUrl: ctx.settings.monitorUrl ?? null },
  })
  if (outcome.status === 'not-modified' && usable !== null) {
    ctx.log.info(`${url}: not modified (304), reusing zip ${usable.zip}`)
    return { kind: 'reused', record: usable }
  }
  if (outcome.status === 'not-modified') throw new Error(`${url}: HTTP 304 to an unconditional request`)
  const { etag, lastModified } = outcome.validators
  return {
    kind: 'fresh',
    record: { etag, lastModified, sha256: outcome.file.sha256, size: outcome.file.size },
  }
}

async function copyLocal(
  url: string,
  path: string,
  usable: UrlRecord | null,
  ctx: TaskContext,
  limits: DownloadLimits,
): Promise<Fetched> {
  const local = await resolveFileUrl(url, ctx.settings.allowedRoots)
  if (usable !== null && usable.fileStamp === local.stamp) {
    ctx.log.info(`${url}: unchanged since last read, reusing zip ${usable.zip}`)
    return { kind: 'reused', record: usable }
  }
  if (local.size > limits.maxZipBytes)
    throw new Error(`${url}: ${local.size} bytes, larger than the limit of ${limits.maxZipBytes}`)
  const file = await writeChunksToFile(createReadStream(local.path, { signal: ctx.signal }), path, {
    maxBytes: limits.maxZipBytes,
    signal: ctx.signal,
    onBytes: (done) => ctx.progress(done, local.size, 'bytes'),
  })
  return { kind: 'fresh', record: { fileStamp: local.stamp, sha256: file.sha256, size: file.size } }
}

/** Writes a zip held in the store back to a temp file (to extract it again); returns the path. */
export async function materializeZip(zip: Cid, ctx: TaskContext, limits: DownloadLimits): Promise<string> {
  const path = await makeTempPath(ctx.settings.dataDir, '.zip')
  try {
    await writeChunksToFile(ctx.store.get(zip), path, {
      maxBytes: limits.maxZipBytes,
      signal: ctx.signal,
      onBytes: () => {},
    })
    return path
  } catch (error) {
    await removeTemp(path)
    throw error
  }
}
