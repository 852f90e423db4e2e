import { describe, expect, test } from 'vitest'
import { sniffContentType } from './sniff-content-type.ts'
import { jsonDepth } from './json-depth.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('sniffContentType', () => {
  test('RIFF/WAVE is audio/wav, a JSON document is application/json, the rest is octet-stream', () => {
    expect(sniffContentType(bytes('RIFF\x24\x00\x00\x00WAVEfmt '))).toBe('audio/wav')
    expect(sniffContentType(bytes('RIFF\x24\x00\x00\x00AVI '))).toBe('application/octet-stream')
    expect(sniffContentType(bytes(' \n{"kind":"banzai.dataset/1"}'))).toBe('application/json')
    expect(sniffContentType(bytes('[1,2]'))).toBe('application/json')
    expect(sniffContentType(new Uint8Array([0x93, ...bytes('NUMPY')]))).toBe('application/octet-stream')
    expect(sniffContentType(new Uint8Array())).toBe('application/octet-stream')
  })
})

describe('jsonDepth', () => {
  test('counts nesting without recursion and stops past the limit', () => {
    expect(jsonDepth(5)).toBe(0)
    expect(jsonDepth([])).toBe(1)
    expect(jsonDepth({ a: [{ b: [] }] })).toBe(4)
    let deep: unknown = []
    for (let i = 0; i < 200_000; i++) deep = [deep]
    expect(jsonDepth(deep, 32)).toBe(33)
  })
})
