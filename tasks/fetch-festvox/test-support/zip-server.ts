import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the test server saw. */
export interface SeenRequest {
  path: string
  status: number
  headers: IncomingMessage['headers']
}

/** A local HTTP server (127.0.0.1, ephemeral port) with routes that misbehave on purpose. */
export interface ZipServer {
  base: string
  seen: SeenRequest[]
  /** Serves these bytes under `/zips/<name>` (and the misbehaving routes) from now on. */
  setZip(name: string, bytes: Buffer): void
  close(): Promise<void>
}

const LAST_MODIFIED = 'Wed, 01 Jan 2003 00:00:00 GMT'

/**
 * Routes: `/zips/N` (ETag + Last-Modified, 304 on a match), `/lastmod/N` (Last-Modified only),
 * `/redirect/N` (302 → 301 → /zips/N), `/flaky/N` (503 twice, then the zip), `/reset/N` (first
 * answer cut mid-body), `/stall/N` (half the body, then silence), `/slow` (no headers ever),
 * `/loop` (redirects to itself), `/always503`, `/missing` (404), `/text` (200, not a zip).
 */
export async function startZipServer(files: Record<string, string>): Promise<ZipServer> {
  const zips = new Map<string, Buffer>()
  for (const [name, path] of Object.entries(files)) zips.set(name, await readFile(path))
  const seen: SeenRequest[] = []
  const hits = new Map<string, number>()
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.url ?? '/'
    const count = (hits.get(path) ?? 0) + 1
    hits.set(path, count)
    const send = (
      status: number,
      headers: Record<string, string | number> = {},
      body?: Buffer | string,
    ): void => {
      seen.push({ path, status, headers: req.headers })
      res.writeHead(status, headers)
      res.end(body)
    }
    const [, route = '', name = ''] = /^\/([^/]+)\/?(.*)$/.exec(path) ?? []
    const zip = zips.get(name)
    const etag = `"${name}-${zip?.length ?? 0}"`
    switch (route) {
      case 'zips':
      case 'lastmod': {
        if (zip === undefined) return send(404)
        const useEtag = route === 'zips'
        if (useEtag && req.headers['if-none-match'] === etag) return send(304, { etag })
        if (!useEtag && req.headers['if-modified-since'] === LAST_MODIFIED) return send(304)
        const headers: Record<string, string | number> = {
          'content-type': 'application/zip',
          'content-length': zip.length,
          'last-modified': LAST_MODIFIED,
        }
        if (useEtag) headers.etag = etag
        return send(200, headers, zip)
      }
      case 'redirect':
        return name.endsWith('?again')
          ? send(301, { location: `/zips/${name.slice(0, -'?again'.length)}` })
          : send(302, { location: `/redirect/${name}?again` })
      case 'flaky':
        return count <= 2 || zip === undefined ? send(503) : send(200, { 'content-length': zip.length }, zip)
      case 'reset':
      case 'stall': {
        if (zip === undefined) return send(404)
        if (route === 'reset' && count > 1) return send(200, { 'content-length': zip.length }, zip)
        seen.push({ path, status: 200, headers: req.headers })
        res.writeHead(200, { 'content-length': zip.length })
        res.write(zip.subarray(0, zip.length >> 1), () => {
          if (route === 'reset') res.socket?.destroy()
        })
        return
      }
      case 'slow':
        seen.push({ path, status: 0, headers: req.headers })
        return
      case 'loop':
        return send(302, { location: '/loop' })
      case 'always503':
        return send(503)
      case 'text':
        return send(200, { 'content-type': 'text/plain' }, 'not a zip\n')
      default:
        return send(404)
    }
  }
  const server: Server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    base: `http://127.0.0.1:${port}`,
    seen,
    setZip: (name, bytes) => zips.set(name, bytes),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
