/** Media types a blob may be served as (`?type=` picks one of them). */
export const BLOB_TYPES = ['audio/wav', 'application/json', 'application/octet-stream', 'text/plain'] as const
/** One of BLOB_TYPES. */
export type BlobType = (typeof BLOB_TYPES)[number]

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to))
}

/**
 * Guesses a blob's media type from its first bytes: RIFF/WAVE is `audio/wav`, a document
 * starting with `{` or `[` is `application/json`; anything else (.npy, zips, weights) is
 * `application/octet-stream`.
 */
export function sniffContentType(head: Uint8Array): BlobType {
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WAVE') return 'audio/wav'
  for (const byte of head) {
    // Skip JSON whitespace, then look at the first significant byte.
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue
    return byte === 0x7b || byte === 0x5b ? 'application/json' : 'application/octet-stream'
  }
  return 'application/octet-stream'
}
