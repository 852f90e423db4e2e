import { describe, expect, it } from 'vitest'
import { decodeNpy, encodeNpy } from './index.ts'

const headerText = (npy: Uint8Array): string =>
  new TextDecoder('latin1').decode(npy.subarray(10, 10 + (npy[8]! | (npy[9]! << 8))))

describe('encodeNpy / decodeNpy', () => {
  it('round-trips a 2-D float32 array', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i * 0.1 - 0.5)
    const npy = encodeNpy(data, [3, 4])
    const back = decodeNpy(npy)
    expect(back.shape).toEqual([3, 4])
    expect(back.data).toEqual(data)
  })

  it('writes format 1.0 with a 64-byte aligned, newline-terminated header', () => {
    const npy = encodeNpy(new Float32Array(6), [2, 3])
    expect([...npy.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0])
    const header = headerText(npy)
    expect((10 + header.length) % 64).toBe(0)
    expect(header.endsWith('\n')).toBe(true)
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/)
    expect(npy.length).toBe(128 + 24)
  })

  it('writes 1-D shapes as one-element tuples and handles empty arrays', () => {
    expect(headerText(encodeNpy(new Float32Array(5), [5]))).toContain("'shape': (5,)")
    expect(decodeNpy(encodeNpy(new Float32Array(0), [0, 24]))).toEqual({
      data: new Float32Array(0),
      shape: [0, 24],
    })
  })

  it('stores little-endian float32', () => {
    const npy = encodeNpy(new Float32Array([1]), [1])
    expect([...npy.subarray(npy.length - 4)]).toEqual([0x00, 0x00, 0x80, 0x3f])
  })

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(
      'npy shape [2, 3] holds 6 values, data has 5',
    )
    expect(() => encodeNpy(new Float32Array(0), [-1])).toThrow('non-negative integers')
  })

  it('rejects broken or foreign files', () => {
    const good = encodeNpy(new Float32Array(6), [2, 3])
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]))).toThrow('not a .npy file')
    expect(() => decodeNpy(good.subarray(0, good.length - 4))).toThrow(
      'npy data is 20 bytes, shape [2, 3] needs 24',
    )
    expect(() => decodeNpy(good.subarray(0, 40))).toThrow('npy header truncated')
    const f8 = good.slice()
    f8.set(new TextEncoder().encode("'<f8'"), 10 + 9)
    expect(() => decodeNpy(f8)).toThrow("npy dtype <f8 is not '<f4'")
    const fortran = new TextEncoder().encode(headerText(good).replace('False', 'True '))
    const fo = good.slice()
    fo.set(fortran, 10)
    expect(() => decodeNpy(fo)).toThrow('Fortran order')
    const v9 = good.slice()
    v9[6] = 9
    expect(() => decodeNpy(v9)).toThrow('unsupported .npy version 9.0')
  })
})
