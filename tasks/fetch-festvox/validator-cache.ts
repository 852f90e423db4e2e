import { join } from 'node:path'
import { z } from 'zod'
import { Cid } from '../../core/domain/index.ts'
import { readJsonFile, writeJsonFile } from './atomic-json-file.ts'

/** What we remember of a URL fetched before: its validators and the zip it gave. */
export const UrlRecord = z.object({
  /** HTTP `ETag`, sent back as `If-None-Match`. */
  etag: z.string().optional(),
  /** HTTP `Last-Modified`, sent back as `If-Modified-Since`. */
  lastModified: z.string().optional(),
  /** For `file:` URLs: real path, size and mtime; unchanged means the same zip. */
  fileStamp: z.string().optional(),
  zip: Cid,
  sha256: z.string(),
  size: z.number().int().min(0),
})
export type UrlRecord = z.infer<typeof UrlRecord>

const CacheFile = z.object({ v: z.literal(1), urls: z.record(z.string(), UrlRecord) })
type CacheFile = z.infer<typeof CacheFile>

/** The per-URL cache: `<dataDir>/fetch-festvox/validators.json`. */
export function validatorCachePath(dataDir: string): string {
  return join(dataDir, 'fetch-festvox', 'validators.json')
}

async function readCache(dataDir: string): Promise<CacheFile> {
  const parsed = CacheFile.safeParse(await readJsonFile(validatorCachePath(dataDir)))
  return parsed.success ? parsed.data : { v: 1, urls: {} }
}

/** What we remember of a URL, or null. */
export async function readUrlRecord(dataDir: string, url: string): Promise<UrlRecord | null> {
  return (await readCache(dataDir)).urls[url] ?? null
}

/** Remembers URLs' validators and zips in one write (read-modify-write, atomic rename; last writer wins). */
export async function saveUrlRecords(
  dataDir: string,
  records: ReadonlyMap<string, UrlRecord>,
): Promise<void> {
  if (records.size === 0) return
  const cache = await readCache(dataDir)
  for (const [url, record] of records) cache.urls[url] = record
  await writeJsonFile(validatorCachePath(dataDir), cache)
}
