/** A 2-D (or 1-D) float32 array read from a `.npy` file. */
export interface NpyArray {
  shape: number[]
  data: Float32Array
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY

/**
 * Parses a NumPy `.npy` file holding little-endian float32 (`<f4`), C order — what
 * EXTRACT_MFCC writes. Format 1.0 (2-byte header length) and 2.0/3.0 (4-byte) are read.
 * Throws with the reason on anything else.
 */
export function parseNpy(buffer: ArrayBuffer): NpyArray {
  const bytes = new Uint8Array(buffer)
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error('not a .npy file (bad magic)')
  const major = bytes[6] ?? 0
  const view = new DataView(buffer)
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  const headerStart = major === 1 ? 10 : 12
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength))
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1]
  if (descr !== '<f4') throw new Error(`.npy dtype ${descr ?? '?'} is not supported (only <f4)`)
  if (/'fortran_order'\s*:\s*True/.test(header)) throw new Error('.npy in Fortran order is not supported')
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1]
  if (shapeText === undefined) throw new Error('.npy header has no shape')
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number)
  const count = shape.reduce((a, b) => a * b, 1)
  const offset = headerStart + headerLength
  if (buffer.byteLength - offset < count * 4)
    throw new Error(`.npy data is truncated: ${count} floats expected`)
  // Copy, since the data offset need not be 4-byte aligned for a Float32Array view.
  const data = new Float32Array(buffer.slice(offset, offset + count * 4))
  return { shape, data }
}
