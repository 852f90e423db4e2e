import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { type Cid, RetryableTaskError, type TaskContext } from '../../core/domain/index.ts'
import { resolveFileUrl } from './file-source.ts'
import { downloadHttp } from './http-download.ts'
import type { DownloadLimits } from './limits.ts'
import { makeTempPath, removeTemp } from './temp-files.ts'
import { readUrlRecord, type UrlRecord } from './validator-cache.ts'
import { writeChunksToFile } from './write-to-file.ts'

/** A zip in the store, and maybe on disk too (null when reused without reading its bytes). */
export interface AcquiredZip {
  zip: Cid
  size: number
  /** A file holding the zip's bytes, or null: a temp file (`isTemp`) or the `file:` URL's own file. */
  path: string | null
  /** Whether `path` is a temp file the caller removes. */
  isTemp: boolean
  /** Whether the zip was known already (304, or an unchanged local file). */
  isReused: boolean
  /** The URL record to save once the zip is durable (null when nothing changed). */
  record: UrlRecord | null
  /** For the `file:` URL's own file: throws (retryable) if it changed since it was stored. */
  checkUnchanged(): Promise<void>
}

/** Bytes read from a local zip at a time: the UnixFS chunk size, so each chunk is one block. */
const CHUNK_BYTES = 262_144

const unchanged = async (): Promise<void> => {}

/**
 * Gets a URL's zip into the store. A download goes to a temp file under `<dataDir>/tmp` while
 * hashing, then is stored streamed from that file; a `file:` under the allowed roots is stored
 * (and hashed) straight from its own file, which extraction then reads in place. A URL fetched
 * before is revalidated; when unchanged, the known zip CID is reused. The caller saves `record`
 * with saveUrlRecords once the store is flushed (the record must name a durable zip).
 */
export async function acquireZip(
  url: string,
  ctx: TaskContext,
  limits: DownloadLimits,
): Promise<AcquiredZip> {
  const { dataDir } = ctx.settings
  const known = await readUrlRecord(dataDir, url)
  const usable = known !== null && (await ctx.store.has(known.zip)) ? known : null
  if (url.startsWith('file:')) return storeLocal(url, usable, ctx, limits)
  const path = await makeTempPath(dataDir, '.zip')
  try {
    const fetched = await fetchRemote(url, path, usable, ctx, limits)
    if (fetched.kind === 'reused') {
      await removeTemp(path)
      const { zip, size } = fetched.record
      return { zip, size, path: null, isTemp: false, isReused: true, record: null, checkUnchanged: unchanged }
    }
    const { cid, size } = await ctx.store.put(createReadStream(path))
    ctx.log.info(`${url}: ${size} bytes, sha256 ${fetched.record.sha256}, stored as ${cid}`)
    const record = { ...fetched.record, zip: cid }
    return { zip: cid, size, path, isTemp: true, isReused: false, record, checkUnchanged: unchanged }
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

/**
 * A local zip, stored straight from its file in one pass that also hashes it (no temp copy:
 * that would write every byte twice). Extraction reads the file in place afterwards, so the
 * file must not change meanwhile: `checkUnchanged` compares its stamp again at the end.
 */
async function storeLocal(
  url: string,
  usable: UrlRecord | null,
  ctx: TaskContext,
  limits: DownloadLimits,
): Promise<AcquiredZip> {
  const local = await resolveFileUrl(url, ctx.settings.allowedRoots)
  const checkUnchanged = async (): Promise<void> => {
    const now = await resolveFileUrl(url, ctx.settings.allowedRoots)
    if (now.stamp !== local.stamp)
      throw new RetryableTaskError(`${url}: the file changed while it was being read`)
  }
  if (usable !== null && usable.fileStamp === local.stamp) {
    ctx.log.info(`${url}: unchanged since last read, reusing zip ${usable.zip}`)
    const { zip, size } = usable
    return { zip, size, path: local.path, isTemp: false, isReused: true, record: null, checkUnchanged }
  }
  if (local.size > limits.maxZipBytes)
    throw new Error(`${url}: ${local.size} bytes, larger than the limit of ${limits.maxZipBytes}`)
  const hash = createHash('sha256')
  async function* hashed(): AsyncGenerator<Uint8Array> {
    let done = 0
    for await (const chunk of createReadStream(local.path, {
      signal: ctx.signal,
      highWaterMark: CHUNK_BYTES,
    })) {
      const bytes = chunk as Buffer
      hash.update(bytes)
      done += bytes.length
      ctx.progress(done, local.size, 'bytes')
      yield bytes
    }
  }
  const { cid, size } = await ctx.store.put(hashed())
  await checkUnchanged()
  const sha256 = hash.digest('hex')
  ctx.log.info(`${url}: ${size} bytes, sha256 ${sha256}, stored as ${cid}`)
  const record = { fileStamp: local.stamp, sha256, size, zip: cid }
  return { zip: cid, size, path: local.path, isTemp: false, isReused: false, record, checkUnchanged }
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
