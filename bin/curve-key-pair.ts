import { generateKeyPairSync } from 'node:crypto'

const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#'

/** Z85 text of 32 key bytes (ZeroMQ RFC 32); here so that `keygen` needs no ZeroMQ binding. */
function encodeKey(bytes: Buffer): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 4) {
    let value = bytes.readUInt32BE(i)
    let chunk = ''
    for (let j = 0; j < 5; j++) {
      chunk = Z85[value % 85]! + chunk
      value = Math.floor(value / 85)
    }
    out += chunk
  }
  return out
}

/** A new CurveZMQ key pair (X25519, by Node's crypto), both keys as 40-character Z85 text. */
export function createCurveKeyPair(): { secretKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519')
  const secret = privateKey.export({ format: 'jwk' }).d
  const pub = publicKey.export({ format: 'jwk' }).x
  if (!secret || !pub) throw new Error('X25519 key export gave no key bytes')
  return {
    secretKey: encodeKey(Buffer.from(secret, 'base64url')),
    publicKey: encodeKey(Buffer.from(pub, 'base64url')),
  }
}

/** A value quoted for POSIX shells: inside single quotes, each `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}
