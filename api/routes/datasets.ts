import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import * as domain from '../../core/domain/index.ts'
import type { ApiDeps, AppEnv } from '../deps.ts'
import { bearer, integerParam, Limit, named, problems } from '../schemas/common.ts'
import { BlobParams } from '../schemas/pipeline.ts'

/** `GET /datasets/:cid/items` answer. */
const DatasetItemPage = named(domain.DatasetItemPage, 'DatasetItemPage')

const itemsRoute = createRoute({
  method: 'get',
  path: '/api/datasets/{cid}/items',
  tags: ['datasets'],
  summary: "One page of a dataset manifest's items (a 20k-item dataset never travels whole)",
  security: bearer,
  request: {
    params: BlobParams,
    query: z.object({
      after: integerParam(
        0,
        Number.MAX_SAFE_INTEGER,
        'items to skip: the `next` of the previous page',
      ).default(0),
      limit: Limit,
    }),
  },
  responses: {
    200: { description: 'The page', content: { 'application/json': { schema: DatasetItemPage } } },
    ...problems(400, 404, 422),
  },
})

/** Parsed manifests kept by CID (content-addressed, so never stale), so paging parses each once. */
const KEPT_MANIFESTS = 4

/** `GET /datasets/:cid/items?after=&limit=`: pages through a dataset manifest read from the store. */
export function registerDatasetRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  const manifests = new Map<string, domain.DatasetManifest>()
  const read = async (cid: domain.Cid): Promise<domain.DatasetManifest> => {
    const kept = manifests.get(cid)
    if (kept) return kept
    if (!(await deps.store.has(cid))) throw new domain.NotFoundError(`no blob ${cid} in the store`)
    const manifest = await domain.readManifest(deps.store, cid)
    if (manifests.size >= KEPT_MANIFESTS) manifests.delete(manifests.keys().next().value!)
    manifests.set(cid, manifest)
    return manifest
  }
  app.openapi(itemsRoute, async (c) => {
    const { cid } = c.req.valid('param')
    const { after, limit } = c.req.valid('query')
    const manifest = await read(cid)
    const items = manifest.items.slice(after, after + limit)
    const end = after + items.length
    const page: domain.DatasetItemPage = {
      items,
      total: manifest.items.length,
      sources: manifest.sources.map((s) => ({ url: s.url, cid: s.cid, skipped: s.skipped.length })),
      next: end < manifest.items.length ? end : null,
    }
    return c.json(page, 200)
  })
}
