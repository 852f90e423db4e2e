import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Cid } from '../core/domain/index.ts'
import { startTestApi, type TestApi } from './testing/start-test-api.ts'

let api: TestApi
let wav: { cid: Cid; bytes: Uint8Array }
let doc: Cid
beforeAll(async () => {
  api = await startTestApi({ inProcess: { workers: 0 } })
  const bytes = new Uint8Array(1000)
  bytes.set(new TextEncoder().encode('RIFF\x00\x00\x00\x00WAVEfmt '), 0)
  for (let i = 16; i < bytes.length; i++) bytes[i] = i % 251
  wav = { cid: (await api.env.store.put(bytes)).cid, bytes }
  doc = (await api.env.store.put(new TextEncoder().encode('{"kind":"banzai.dataset/1"}'))).cid
})
afterAll(async () => {
  await api.stop()
})

describe('GET /api/blobs/:cid', () => {
  test('the whole blob, its sniffed type, the CID as ETag, immutable caching', async () => {
    const response = await api.request(`/api/blobs/${wav.cid}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('audio/wav')
    expect(response.headers.get('etag')).toBe(`"${wav.cid}"`)
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(response.headers.get('accept-ranges')).toBe('bytes')
    expect(response.headers.get('content-length')).toBe('1000')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(wav.bytes)
    expect((await api.request(`/api/blobs/${doc}`)).headers.get('content-type')).toBe('application/json')
    expect(
      (await api.request(`/api/blobs/${doc}?type=application/octet-stream`)).headers.get('content-type'),
    ).toBe('application/octet-stream')
    expect((await api.request(`/api/blobs/${doc}?type=text/html`)).status).toBe(400)
  })

  test('If-None-Match with the CID is 304', async () => {
    const response = await api.request(`/api/blobs/${wav.cid}`, {
      headers: { 'If-None-Match': `"${wav.cid}"` },
    })
    expect(response.status).toBe(304)
    expect(response.headers.get('etag')).toBe(`"${wav.cid}"`)
    expect(
      (await api.request(`/api/blobs/${wav.cid}`, { headers: { 'If-None-Match': '"other"' } })).status,
    ).toBe(200)
  })

  test('a single range is 206 with Content-Range; a suffix range too', async () => {
    const response = await api.request(`/api/blobs/${wav.cid}`, { headers: { Range: 'bytes=100-199' } })
    expect(response.status).toBe(206)
    expect(response.headers.get('content-range')).toBe('bytes 100-199/1000')
    expect(response.headers.get('content-length')).toBe('100')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(wav.bytes.slice(100, 200))
    const suffix = await api.request(`/api/blobs/${wav.cid}`, { headers: { Range: 'bytes=-10' } })
    expect(suffix.headers.get('content-range')).toBe('bytes 990-999/1000')
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(wav.bytes.slice(990))
  })

  test('a range past the end is 416 with Content-Range */size', async () => {
    const response = await api.request(`/api/blobs/${wav.cid}`, { headers: { Range: 'bytes=1000-' } })
    expect(response.status).toBe(416)
    expect(response.headers.get('content-range')).toBe('bytes */1000')
    expect(response.headers.get('content-type')).toBe('application/problem+json')
  })

  test('a malformed CID is 400, an unknown one 404; HEAD sends headers only', async () => {
    expect((await api.request('/api/blobs/not-a-cid')).status).toBe(400)
    const unknown = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
    const missing = await api.request(`/api/blobs/${unknown}`)
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toBe('application/problem+json')
    const head = await api.request(`/api/blobs/${wav.cid}`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe('1000')
    expect((await head.arrayBuffer()).byteLength).toBe(0)
  })
})
