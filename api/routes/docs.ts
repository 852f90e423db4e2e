import { readFileSync } from 'node:fs'
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../deps.ts'

const DOCS_PAGE = readFileSync(new URL('./docs-page.html', import.meta.url), 'utf8')

/** `GET /openapi.json` (OpenAPI 3.1, generated from the routes' zod schemas) and `GET /docs` (a self-contained page that renders it). */
export function registerDocsRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'BANZAI_TOKEN (writes) or BANZAI_READ_TOKEN (reads)',
  })
  let document: unknown = null
  app.get('/api/openapi.json', (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Banzai',
        version: '1',
        description:
          'A crash-proof, content-addressed pipeline runner for audio ML datasets (SPEC §7). Errors are application/problem+json.',
      },
    })
    return c.json(document)
  })
  app.get('/api/docs', (c) => c.html(DOCS_PAGE))
}
