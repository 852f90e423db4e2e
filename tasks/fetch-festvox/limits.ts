/** Bounds on what one archive may unpack to: zip-bomb defences (SPEC §3). */
export interface ExtractLimits {
  /** Largest uncompressed entry, bytes (default 200 MB); a WAV is held in memory while its header is checked. */
  maxEntryBytes: number
  /** Largest total uncompressed size of the entries read from one zip, bytes (default 20 GB). */
  maxTotalBytes: number
  /** Largest uncompressed / compressed ratio of one entry (default 100). */
  maxRatio: number
  /** Entries smaller than this are exempt from the ratio rule, bytes (default 1 MiB): tiny files compress well harmlessly. */
  ratioFloorBytes: number
  /** Largest `etc/txt.done.data`, bytes (default 16 MiB). */
  maxTranscriptBytes: number
}

/** How downloads behave: retries, timeouts, size. */
export interface DownloadLimits {
  /** Attempts per URL for a retryable failure (5xx, reset, timeout), default 4. */
  attempts: number
  /** First backoff delay, ms (default 500); doubled on each retry. */
  backoffMs: number
  /** Longest wait for the response headers, ms (default 30 s). */
  headersTimeoutMs: number
  /** Longest silence while the body streams, ms (default 60 s). */
  idleTimeoutMs: number
  /** Largest zip accepted, bytes (default 20 GB). */
  maxZipBytes: number
}

/** Every tunable of FETCH_FESTVOX. */
export interface FetchFestvoxLimits {
  extract: ExtractLimits
  download: DownloadLimits
}

const MB = 1_000_000
const GB = 1_000_000_000

/** The defaults used by the task as registered with the worker. */
export const DEFAULT_LIMITS: FetchFestvoxLimits = {
  extract: {
    maxEntryBytes: 200 * MB,
    maxTotalBytes: 20 * GB,
    maxRatio: 100,
    ratioFloorBytes: 1024 * 1024,
    maxTranscriptBytes: 16 * 1024 * 1024,
  },
  download: {
    attempts: 4,
    backoffMs: 500,
    headersTimeoutMs: 30_000,
    idleTimeoutMs: 60_000,
    maxZipBytes: 20 * GB,
  },
}

/** Overrides for some limits (tests use small ones). */
export interface LimitOverrides {
  extract?: Partial<ExtractLimits>
  download?: Partial<DownloadLimits>
}

/** The defaults with some values replaced. */
export function resolveLimits(overrides: LimitOverrides = {}): FetchFestvoxLimits {
  return {
    extract: { ...DEFAULT_LIMITS.extract, ...overrides.extract },
    download: { ...DEFAULT_LIMITS.download, ...overrides.download },
  }
}
