import { RetryableTaskError } from '../../core/domain/index.ts'
import { FetchRefusedError, fetchWithPolicy, type FetchPolicy } from './fetch-policy.ts'
import type { DownloadLimits } from './limits.ts'
import { removeTemp } from './temp-files.ts'
import { TooLargeError, type WrittenFile, writeChunksToFile } from './write-to-file.ts'

/** The User-Agent sent with every request. */
export const USER_AGENT = 'banzai/0.1'

/** Validators of an earlier download, sent back as a conditional request. */
export interface Validators {
  etag?: string
  lastModified?: string
}

/** A download's outcome: the zip written to `path`, or "not modified" (304). */
export type HttpOutcome =
  { status: 'downloaded'; file: WrittenFile; validators: Validators } | { status: 'not-modified' }

/** What a download needs besides its URL. */
export interface HttpDownloadOptions {
  path: string
  validators: Validators | null
  signal: AbortSignal
  limits: DownloadLimits
  onBytes(done: number, total: number): void
  onRetry(message: string, delayMs: number): void
  /** Which addresses may be fetched (default: any but link-local and metadata ones). */
  policy?: FetchPolicy
}

/** A failure worth another attempt (5xx, reset, timeout). */
class TransientError extends Error {}

const RETRY_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504])
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
])

/**
 * GETs a URL into a file (redirects followed, conditional when validators are given), with
 * timeouts and retries with exponential backoff. A failure that persists throws
 * RetryableTaskError; a client error (404, …) or an oversized body throws a plain Error.
 */
export async function downloadHttp(url: string, options: HttpDownloadOptions): Promise<HttpOutcome> {
  const { attempts, backoffMs } = options.limits
  let lastError = ''
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await attemptDownload(url, options)
    } catch (error) {
      options.signal.throwIfAborted()
      await removeTemp(options.path)
      if (!(error instanceof TransientError)) throw error
      lastError = error.message
      if (attempt === attempts) break
      const delay = backoffMs * 2 ** (attempt - 1)
      options.onRetry(`${url}: ${lastError}; attempt ${attempt + 1} of ${attempts} in ${delay} ms`, delay)
      await sleep(delay, options.signal)
    }
  }
  throw new RetryableTaskError(`${url}: ${lastError} (gave up after ${attempts} attempts)`)
}

async function attemptDownload(url: string, options: HttpDownloadOptions): Promise<HttpOutcome> {
  const { limits, signal } = options
  const timeout = new AbortController()
  const combined = AbortSignal.any([signal, timeout.signal])
  let timer = setTimeout(() => timeout.abort(), limits.headersTimeoutMs)
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-encoding': 'identity' }
  if (options.validators?.etag !== undefined) headers['if-none-match'] = options.validators.etag
  if (options.validators?.lastModified !== undefined)
    headers['if-modified-since'] = options.validators.lastModified
  try {
    let response: Response
    try {
      response = await fetchWithPolicy(
        url,
        { headers, signal: combined },
        options.policy ?? { hosts: [], monitorUrl: null },
      )
    } catch (error) {
      signal.throwIfAborted()
      if (error instanceof FetchRefusedError) throw error
      if (timeout.signal.aborted) throw new TransientError(`no response within ${limits.headersTimeoutMs} ms`)
      throw classifyNetworkError(url, error)
    }
    if (response.status === 304 && options.validators !== null) {
      await response.body?.cancel()
      return { status: 'not-modified' }
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel()
      const message = `HTTP ${response.status} ${response.statusText}`.trim()
      if (RETRY_STATUSES.has(response.status)) throw new TransientError(message)
      throw new Error(`${url}: ${message}`)
    }
    const length = Number(response.headers.get('content-length') ?? Number.NaN)
    const total = Number.isFinite(length) && response.headers.get('content-encoding') === null ? length : 0
    if (total > limits.maxZipBytes)
      throw new Error(`${url}: ${total} bytes, larger than the limit of ${limits.maxZipBytes}`)
    const reader = response.body.getReader()
    const rearm = (): void => {
      clearTimeout(timer)
      timer = setTimeout(() => timeout.abort(), limits.idleTimeoutMs)
    }
    rearm()
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        rearm()
        yield value
      }
    }
    let file: WrittenFile
    try {
      file = await writeChunksToFile(chunks(), options.path, {
        maxBytes: limits.maxZipBytes,
        signal,
        onBytes: (done) => options.onBytes(done, total),
      })
    } catch (error) {
      await reader.cancel().catch(() => undefined)
      signal.throwIfAborted()
      if (error instanceof TooLargeError) throw new Error(`${url}: ${error.message}`)
      if (timeout.signal.aborted) throw new TransientError(`download stalled for ${limits.idleTimeoutMs} ms`)
      throw new TransientError(`download interrupted (${describeError(error)})`)
    }
    const etag = response.headers.get('etag') ?? undefined
    const lastModified = response.headers.get('last-modified') ?? undefined
    return { status: 'downloaded', file, validators: { etag, lastModified } }
  } finally {
    clearTimeout(timer)
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined
  const causeMessage = cause instanceof Error ? cause.message : undefined
  return [error.message, typeof code === 'string' ? code : undefined, causeMessage]
    .filter((s) => s !== undefined)
    .join(': ')
}

/** Connection resets, refusals and timeouts are transient; anything else (bad URL, DNS name unknown) is not. */
function classifyNetworkError(url: string, error: unknown): Error {
  const cause = error instanceof Error ? error.cause : undefined
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined
  const message = `request failed (${describeError(error)})`
  return typeof code === 'string' && TRANSIENT_CODES.has(code)
    ? new TransientError(message)
    : new Error(`${url}: ${message}`)
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
