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
      speaker: z.string().max(200).optional().openapi({ description: "only this speaker's items" }),
    }),
  },
  responses: {
    200: { description: 'The page', content: { 'application/json': { schema: DatasetItemPage } } },
    ...problems(400, 404, 422),
  },
})

/** Parsed manifests kept by CID (content-addressed, so never stale), so paging parses each once. */
const KEPT_MANIFESTS = 4

/** A manifest with what every page of it repeats, computed once. */
interface KeptManifest {
  manifest: domain.DatasetManifest
  speakers: string[]
}

/** `GET /datasets/:cid/items?after=&limit=&speaker=`: pages through a dataset manifest read from the store. */
export function registerDatasetRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  const manifests = new Map<string, KeptManifest>()
  const read = async (cid: domain.Cid): Promise<KeptManifest> => {
    const kept = manifests.get(cid)
    if (kept) return kept
    if (!(await deps.store.has(cid))) throw new domain.NotFoundError(`no blob ${cid} in the store`)
    const manifest = await domain.readManifest(deps.store, cid)
    const speakers = [...new Set(manifest.items.map((i) => i.speaker))].sort()
    if (manifests.size >= KEPT_MANIFESTS) manifests.delete(manifests.keys().next().value!)
    manifests.set(cid, { manifest, speakers })
    return { manifest, speakers }
  }
  app.openapi(itemsRoute, async (c) => {
    const { cid } = c.req.valid('param')
    const { after, limit, speaker } = c.req.valid('query')
    const { manifest, speakers } = await read(cid)
    const all = speaker === undefined ? manifest.items : manifest.items.filter((i) => i.speaker === speaker)
    const items = all.slice(after, after + limit)
    const end = after + items.length
    const page: domain.DatasetItemPage = {
      items,
      total: all.length,
      seconds: all.reduce((sum, item) => sum + item.seconds, 0),
      speakers,
      sources: manifest.sources.map((s) => ({ url: s.url, cid: s.cid, skipped: s.skipped.length })),
      next: end < all.length ? end : null,
    }
    return c.json(page, 200)
  })
}
