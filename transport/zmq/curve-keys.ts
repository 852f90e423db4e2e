import { curveKeyPair } from 'zeromq'

/** A CurveZMQ key pair, both keys as 40-character Z85 text. */
export interface CurveKeyPair {
  publicKey: string
  secretKey: string
}

/** Generates a CurveZMQ key pair (for `banzai keygen`). */
export function generateCurveKeyPair(): CurveKeyPair {
  const { publicKey, secretKey } = curveKeyPair()
  return { publicKey, secretKey }
}

const Z85_CHARS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#'

/** Encodes bytes (a multiple of 4 long, e.g. a 32-byte key) as Z85 text (ZeroMQ RFC 32). */
export function encodeZ85(bytes: Uint8Array): string {
  if (bytes.length % 4 !== 0) throw new RangeError(`Z85 encodes multiples of 4 bytes, got ${bytes.length}`)
  let out = ''
  for (let i = 0; i < bytes.length; i += 4) {
    let value = ((bytes[i]! << 24) >>> 0) + (bytes[i + 1]! << 16) + (bytes[i + 2]! << 8) + bytes[i + 3]!
    let chunk = ''
    for (let j = 0; j < 5; j++) {
      chunk = Z85_CHARS[value % 85]! + chunk
      value = Math.floor(value / 85)
    }
    out += chunk
  }
  return out
}

/** Whether `text` is a well-formed Z85 CURVE key (40 characters). */
export function isZ85Key(text: string): boolean {
  return text.length === 40 && [...text].every((c) => Z85_CHARS.includes(c))
}
