import { createPrivateKey, createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { ValidationError } from '../../core/domain/index.ts'
import { encodeZ85, isZ85Key } from '../../transport/zmq/index.ts'

const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#'

/** Decodes a Z85 key (40 characters) into its 32 bytes. */
function decodeZ85(text: string): Uint8Array {
  const out = new Uint8Array((text.length / 5) * 4)
  for (let i = 0; i < text.length; i += 5) {
    let value = 0
    for (let j = 0; j < 5; j++) value = value * 85 + Z85.indexOf(text[i + j]!)
    out.set([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255], (i / 5) * 4)
  }
  return out
}

/**
 * The CurveZMQ public key of a secret key (X25519 scalar multiplication of the base point, by
 * Node's crypto), so that BANZAI_CURVE_SECRET alone is enough to turn CURVE on.
 */
export function curvePublicKey(secretKey: string): string {
  if (!isZ85Key(secretKey))
    throw new ValidationError('BANZAI_CURVE_SECRET must be a 40-character Z85 key (see `banzai keygen`)')
  const d = Buffer.from(decodeZ85(secretKey)).toString('base64url')
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d, x: '' }, format: 'jwk' })
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' })
  return encodeZ85(Buffer.from(jwk.x!, 'base64url'))
}

/** Reads the allowed worker public keys: one Z85 key per line; blank lines and lines starting with `#` are ignored (`#` is also a Z85 digit, so only whole-line comments). */
export function readAllowedKeys(file: string): string[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ValidationError(`BANZAI_CURVE_ALLOW: cannot read ${file}: ${(error as Error).message}`)
  }
  const keys: string[] = []
  text.split('\n').forEach((line, i) => {
    const key = line.trim()
    if (!key || (key.startsWith('#') && key.length !== 40)) return
    if (!isZ85Key(key))
      throw new ValidationError(
        `BANZAI_CURVE_ALLOW: ${file} line ${i + 1} is not a 40-character Z85 public key`,
      )
    keys.push(key)
  })
  return keys
}
