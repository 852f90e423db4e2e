import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../deps.ts'
import { HttpProblem } from '../http/problem.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Banzai</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem"><h1>Banzai</h1>
<p>The dashboard is not built. Build it (<code>npx vite build ui</code>) and restart; the API is up: see <a href="/api/docs">/api/docs</a>.</p></body></html>`

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    // A missing or unreadable path is simply not a file we serve.
    return false
  }
}

/** Serves the built dashboard at `/`: files from `uiDir`, index.html for client-side routes, a short page when it is not built. */
export function registerUiRoutes(
  app: OpenAPIHono<AppEnv>,
  uiDir: string | undefined,
  fallback: (c: Context<AppEnv>) => Response,
): void {
  app.get('*', async (c) => {
    const path = c.req.path
    if (path === '/api' || path.startsWith('/api/')) return fallback(c)
    if (!uiDir) return c.html(NOT_BUILT)
    const root = normalize(uiDir)
    let relative: string
    try {
      relative = decodeURIComponent(path)
    } catch {
      throw new HttpProblem(400, 'bad_path', `the path ${path} is not valid percent-encoding`)
    }
    const file = normalize(join(root, relative))
    const inside = file === root || file.startsWith(root.endsWith(sep) ? root : root + sep)
    if (inside && relative !== '/' && !relative.includes('\0') && (await isFile(file))) {
      const isAsset = file.includes(`${sep}assets${sep}`)
      return c.body(await readFile(file), 200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
      })
    }
    if (extname(relative) !== '') throw new HttpProblem(404, 'no_file', `no file ${path} in the dashboard`)
    const index = join(root, 'index.html')
    if (!(await isFile(index))) return c.html(NOT_BUILT)
    return c.body(await readFile(index), 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
    })
  })
}
