import { describe, expect, it } from 'vitest'
import { parseNpy } from './npy.ts'

/** Writes a float32 .npy as NumPy 1.0 does: magic, version, header padded to 64 bytes, data. */
function makeNpy(shape: number[], values: number[], descr = '<f4'): ArrayBuffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`
  const pad = 64 - ((10 + header.length + 1) % 64)
  header = header + ' '.repeat(pad % 64) + '\n'
  const out = new Uint8Array(10 + header.length + values.length * 4)
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0)
  new DataView(out.buffer).setUint16(8, header.length, true)
  out.set(new TextEncoder().encode(header), 10)
  const view = new DataView(out.buffer)
  values.forEach((v, i) => view.setFloat32(10 + header.length + i * 4, v, true))
  return out.buffer
}

describe('parseNpy', () => {
  it('reads the shape and float32 little-endian data of a 1.0 file', () => {
    const npy = parseNpy(makeNpy([2, 3], [1, 2, 3, 4, 5, -6.5]))
    expect(npy.shape).toEqual([2, 3])
    expect([...npy.data]).toEqual([1, 2, 3, 4, 5, -6.5])
  })
  it('rejects other dtypes, bad magic and truncated data with the reason', () => {
    expect(() => parseNpy(makeNpy([1], [1], '<f8'))).toThrow(/dtype <f8/)
    expect(() => parseNpy(new ArrayBuffer(16))).toThrow(/magic/)
    expect(() => parseNpy(makeNpy([4], [1]))).toThrow(/truncated/)
  })
})
