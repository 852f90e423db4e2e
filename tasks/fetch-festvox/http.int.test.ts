import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isRetryable, RetryableTaskError } from '../../core/domain/index.ts'
import { makeTaskContext, type TestTaskContext } from '../../test/support/task-context.ts'
import { readManifest } from '../documents.ts'
import { createFetchFestvox, USER_AGENT } from './index.ts'
import { startZipServer, type ZipServer } from './test-support/zip-server.ts'

const fixture = (spk: string) =>
  fileURLToPath(new URL(`../../fixtures/arctic/cmu_us_${spk}_arctic-0.90-release.zip`, import.meta.url))
const task = createFetchFestvox({
  download: { backoffMs: 20, headersTimeoutMs: 1_000, idleTimeoutMs: 1_000, attempts: 3 },
})
let server: ZipServer

async function run(ctx: TestTaskContext, url: string, ...urls: string[]) {
  if (task.kind !== 'whole') throw new Error('FETCH_FESTVOX runs whole')
  return task.run(null, [url, ...urls], ctx)
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (e: unknown) => e as Error,
  )

beforeAll(async () => {
  server = await startZipServer({ test: fixture('test'), sus: fixture('sus'), ssc: fixture('ssc') })
})
afterAll(async () => {
  await server.close()
})

describe('FETCH_FESTVOX over HTTP', () => {
  it('downloads with our User-Agent and reports progress in bytes with the total', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX')
    const result = await run(ctx, `${server.base}/zips/test`)
    const manifest = await readManifest(ctx.store, result.output)
    expect(manifest.items).toHaveLength(4)
    expect(server.seen.find((r) => r.path === '/zips/test')?.headers['user-agent']).toBe(USER_AGENT)
    const bytes = ctx.progressCalls.filter((p) => p.unit === 'bytes')
    expect(bytes.at(-1)).toEqual({ done: result.stats?.bytes, total: result.stats?.bytes, unit: 'bytes' })
  })

  it('revalidates: the second fetch gets 304 and neither downloads nor extracts again', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX')
    const url = `${server.base}/zips/sus`
    const first = await run(ctx, url)
    const puts = ctx.store.puts.length
    const second = await run(ctx, url)
    expect(second.output).toBe(first.output)
    const hits = server.seen.filter((r) => r.path === '/zips/sus')
    expect(hits.map((r) => r.status)).toEqual([200, 304])
    expect(hits[1]!.headers['if-none-match']).toBe(
      `"sus-${(await import('node:fs')).statSync(fixture('sus')).size}"`,
    )
    expect(hits[1]!.headers['if-modified-since']).toBe('Wed, 01 Jan 2003 00:00:00 GMT')
    // Only the (identical) manifest was put again: no zip, no WAV, no part.
    expect(ctx.store.puts.slice(puts)).toEqual([first.output])
  })

  it('revalidates with Last-Modified alone', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX')
    const url = `${server.base}/lastmod/test`
    const first = await run(ctx, url)
    const second = await run(ctx, url)
    expect(second.output).toBe(first.output)
    expect(server.seen.filter((r) => r.path === '/lastmod/test').map((r) => r.status)).toEqual([200, 304])
  })

  it('downloads again, unconditionally, when the store lost the zip', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX')
    const url = `${server.base}/zips/ssc`
    const first = await run(ctx, url)
    const manifest = await readManifest(ctx.store, first.output)
    await ctx.store.delete(manifest.sources[0]!.cid)
    const second = await run(ctx, url)
    expect(second.output).toBe(first.output)
    const hits = server.seen.filter((r) => r.path === '/zips/ssc')
    expect(hits.map((r) => r.status)).toEqual([200, 200])
    expect(hits[1]!.headers['if-none-match']).toBeUndefined()
  })

  it('follows redirects', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX')
    const result = await run(ctx, `${server.base}/redirect/test`)
    expect((await readManifest(ctx.store, result.output)).items).toHaveLength(4)
    expect(server.seen.filter((r) => r.path.startsWith('/redirect/test')).map((r) => r.status)).toEqual([
      302, 301,
    ])
  })

  it('fails a redirect loop, not retryable', async () => {
    const error = await failure(run(makeTaskContext('FETCH_FESTVOX'), `${server.base}/loop`))
    expect(error.message).toContain('redirect count exceeded')
    expect(isRetryable(error)).toBe(false)
  })

  it('retries a 5xx and succeeds', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX')
    const result = await run(ctx, `${server.base}/flaky/test`)
    expect((await readManifest(ctx.store, result.output)).items).toHaveLength(4)
    expect(server.seen.filter((r) => r.path === '/flaky/test').map((r) => r.status)).toEqual([503, 503, 200])
    expect(ctx.logs.filter((l) => l.startsWith('warn') && l.includes('HTTP 503'))).toHaveLength(2)
  })

  it('retries a connection reset mid-body and succeeds', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX')
    const result = await run(ctx, `${server.base}/reset/test`)
    expect((await readManifest(ctx.store, result.output)).items).toHaveLength(4)
    expect(server.seen.filter((r) => r.path === '/reset/test')).toHaveLength(2)
    expect(ctx.logs.some((l) => l.includes('download interrupted'))).toBe(true)
  })

  it('gives up on a persistent 5xx with a retryable error', async () => {
    const error = await failure(run(makeTaskContext('FETCH_FESTVOX'), `${server.base}/always503`))
    expect(error).toBeInstanceOf(RetryableTaskError)
    expect(error.message).toBe(
      `${server.base}/always503: HTTP 503 Service Unavailable (gave up after 3 attempts)`,
    )
  })

  it('times out a server that never answers, retryably', async () => {
    const quick = createFetchFestvox({ download: { attempts: 2, backoffMs: 10, headersTimeoutMs: 300 } })
    const error = await failure(
      quick.kind === 'whole'
        ? quick.run(null, [`${server.base}/slow`], makeTaskContext('FETCH_FESTVOX'))
        : Promise.resolve(),
    )
    expect(isRetryable(error)).toBe(true)
    expect(error.message).toBe(`${server.base}/slow: no response within 300 ms (gave up after 2 attempts)`)
    expect(server.seen.filter((r) => r.path === '/slow')).toHaveLength(2)
  })

  it('fails a 404 clearly, not retryable', async () => {
    const error = await failure(run(makeTaskContext('FETCH_FESTVOX'), `${server.base}/missing`))
    expect(error.message).toBe(`${server.base}/missing: HTTP 404 Not Found`)
    expect(isRetryable(error)).toBe(false)
  })

  it('fails on a body that is not a zip, not retryable', async () => {
    const error = await failure(run(makeTaskContext('FETCH_FESTVOX'), `${server.base}/text`))
    expect(error.message).toContain('not a zip archive')
    expect(isRetryable(error)).toBe(false)
  })

  it('fails a refused connection retryably', async () => {
    const closed = await startZipServer({})
    const url = `${closed.base}/zips/test`
    await closed.close()
    const error = await failure(run(makeTaskContext('FETCH_FESTVOX'), url))
    expect(isRetryable(error)).toBe(true)
    expect(error.message).toContain('ECONNREFUSED')
  })

  it('aborts a download in progress promptly', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX')
    const started = Date.now()
    const pending = failure(run(ctx, `${server.base}/stall/sus`))
    const poll = setInterval(() => {
      if (ctx.progressCalls.length > 0) ctx.controller.abort(new Error('cancelled by test'))
    }, 10)
    const error = await pending
    clearInterval(poll)
    expect(error.message).toBe('cancelled by test')
    expect(Date.now() - started).toBeLessThan(900) // before the 1 s idle timeout could fire
  })

  it('merges zips fetched over HTTP', async () => {
    const ctx = makeTaskContext('FETCH_FESTVOX')
    const result = await run(ctx, `${server.base}/zips/test`, `${server.base}/zips/sus`)
    const manifest = await readManifest(ctx.store, result.output)
    expect(manifest.items).toHaveLength(24)
    expect(manifest.items[0]!.id).toBe('sus/arctic_a0001')
    expect(manifest.items.at(-1)!.id).toBe('test/arctic_a0004')
  })
})
