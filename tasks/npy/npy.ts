import { ValidationError } from '../../core/domain/index.ts'

// Written by hand: the npm npy packages are unmaintained or browser-only, and format 1.0
// for one dtype is a dozen lines (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY
const PREAMBLE = 10 // magic(6) + version(2) + header length(2)

/** A float32 array and its C-order shape. */
export interface NpyArray {
  data: Float32Array
  shape: number[]
}

function checkShape(shape: number[], length: number): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new ValidationError(`npy shape must be non-negative integers, got [${shape.join(', ')}]`)
  const count = shape.reduce((n, d) => n * d, 1)
  if (count !== length)
    throw new ValidationError(`npy shape [${shape.join(', ')}] holds ${count} values, data has ${length}`)
}

/** Encodes float32 data as a NumPy 1.0 .npy file ('<f4', C order, header padded to 64 bytes). */
export function encodeNpy(data: Float32Array, shape: number[]): Uint8Array {
  checkShape(shape, data.length)
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ')
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`
  // The header (preamble + dict + '\n') is space-padded so the data starts on a 64-byte boundary.
  const total = Math.ceil((PREAMBLE + dict.length + 1) / 64) * 64
  const header = dict.padEnd(total - PREAMBLE - 1, ' ') + '\n'
  if (header.length > 0xffff)
    throw new ValidationError(`npy header too long for format 1.0: ${header.length} bytes`)
  const out = new Uint8Array(total + data.length * 4)
  out.set(MAGIC, 0)
  out[6] = 1
  out[7] = 0
  const view = new DataView(out.buffer)
  view.setUint16(8, header.length, true)
  for (let i = 0; i < header.length; i++) out[PREAMBLE + i] = header.charCodeAt(i)
  for (let i = 0; i < data.length; i++) view.setFloat32(total + i * 4, data[i]!, true)
  return out
}

function parseHeader(text: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1]
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1]
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1]
  if (descr === undefined || fortran === undefined || shape === undefined)
    throw new ValidationError(`npy header is not a format dictionary: ${text.trim()}`)
  const dims = shape
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (!dims.every((d) => /^\d+$/.test(d)))
    throw new ValidationError(`npy shape is not a tuple of integers: (${shape})`)
  return { descr, fortran: fortran === 'True', shape: dims.map(Number) }
}

/** Decodes a .npy file holding little-endian float32 in C order (format 1.0 to 3.0); throws ValidationError otherwise. */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < PREAMBLE || MAGIC.some((b, i) => bytes[i] !== b))
    throw new ValidationError('not a .npy file')
  const major = bytes[6]!
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (major < 1 || major > 3) throw new ValidationError(`unsupported .npy version ${major}.${bytes[7]}`)
  const lengthBytes = major === 1 ? 2 : 4
  if (bytes.length < 8 + lengthBytes) throw new ValidationError('npy header truncated')
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  const dataOffset = 8 + lengthBytes + headerLength
  if (dataOffset > bytes.length) throw new ValidationError('npy header truncated')
  const header = parseHeader(
    new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataOffset)),
  )
  if (header.descr !== '<f4')
    throw new ValidationError(`npy dtype ${header.descr} is not '<f4' (little-endian float32)`)
  if (header.fortran) throw new ValidationError('npy data in Fortran order is not supported')
  const count = header.shape.reduce((n, d) => n * d, 1)
  const present = bytes.length - dataOffset
  if (present !== count * 4)
    throw new ValidationError(
      `npy data is ${present} bytes, shape [${header.shape.join(', ')}] needs ${count * 4}`,
    )
  const data = new Float32Array(count)
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataOffset + i * 4, true)
  return { data, shape: header.shape }
}
