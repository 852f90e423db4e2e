import { createReadStream, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'

/** A local Festvox mirror: serves some files of a folder over HTTP, with validators. */
export interface ZipServer {
  url: string
  /** Requests answered so far: 200 (whole file) and 304 (revalidated, not modified). */
  counts: { full: number; notModified: number }
  close(): Promise<void>
}

/**
 * Serves `files` of `dir` on 127.0.0.1 with `ETag` and `Last-Modified`, answering a matching
 * `If-None-Match` with 304, as a real mirror does: FETCH_FESTVOX's revalidation depends on it.
 */
export function serveZips(dir: string, files: string[]): Promise<ZipServer> {
  const known = new Set(files)
  const counts = { full: 0, notModified: 0 }
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1))
    if (!known.has(name) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end()
      return
    }
    const path = join(dir, name)
    const info = statSync(path)
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`
    const headers = { etag, 'last-modified': info.mtime.toUTCString() }
    if (req.headers['if-none-match'] === etag) {
      counts.notModified++
      res.writeHead(304, headers).end()
      return
    }
    counts.full++
    res.writeHead(200, { ...headers, 'content-type': 'application/zip', 'content-length': String(info.size) })
    if (req.method === 'HEAD') res.end()
    else createReadStream(path).pipe(res)
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      resolve({
        url: `http://127.0.0.1:${port}`,
        counts,
        close: () => new Promise<void>((done) => server.close(() => done())),
      })
    }),
  )
}
