import { createReadStream, readdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The bundled CMU ARCTIC-layout zips. */
export const ARCTIC_DIR = fileURLToPath(new URL('../../fixtures/arctic/', import.meta.url))

/** Serves the fixture zips over real HTTP on 127.0.0.1; counts requests per file. */
export async function serveArcticZips(): Promise<{
  url: string
  hits: Map<string, number>
  close(): Promise<void>
}> {
  const files = new Set(readdirSync(ARCTIC_DIR).filter((f) => f.endsWith('.zip')))
  const hits = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1))
    hits.set(name, (hits.get(name) ?? 0) + 1)
    if (!files.has(name)) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/zip', etag: `"${name}-v1"` })
    createReadStream(join(ARCTIC_DIR, name)).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
