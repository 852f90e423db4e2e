import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createAuthGate } from './auth-gate.ts'
import { createApiClient } from './client.ts'
import { ApiError } from './problem.ts'
import type { TokenStore } from './token-store.ts'

function memoryTokens(): TokenStore {
  let token: string | null = null
  return { get: () => token, set: (t) => (token = t) }
}

describe('createApiClient', () => {
  it('asks for a token on 401, keeps it, and sends it on every request and the stream URL', async () => {
    const seen: (string | null)[] = []
    const fetch = async (_: RequestInfo | URL, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get('Authorization')
      seen.push(auth)
      return auth === 'Bearer s3cret'
        ? new Response('{"ok":true}')
        : new Response('{"title":"Unauthorized","status":401}', { status: 401 })
    }
    const tokens = memoryTokens()
    const auth = createAuthGate()
    const api = createApiClient({ tokens, auth, fetch })
    const pending = api.get('/pipelines', z.object({ ok: z.boolean() }))
    await new Promise((r) => setTimeout(r, 0))
    expect(auth.prompt()).toBe('required')
    auth.answer('s3cret')
    expect(await pending).toEqual({ ok: true })
    expect(seen).toEqual([null, 'Bearer s3cret'])
    expect(tokens.get()).toBe('s3cret')
    expect(api.eventsUrl()).toBe('/api/events?access_token=s3cret')
  })

  it('throws the parsed problem when the prompt is dismissed or the API refuses', async () => {
    const auth = createAuthGate()
    const api = createApiClient({
      tokens: memoryTokens(),
      auth,
      fetch: async (url: RequestInfo | URL) =>
        (url instanceof Request ? url.url : url.toString()).endsWith('/x')
          ? new Response('{"title":"Unauthorized","status":401,"detail":"token needed"}', { status: 401 })
          : new Response(
              '{"title":"Invalid","status":400,"detail":"bad","errors":[{"path":"tasks[0].call","message":"unknown task"}]}',
              { status: 400 },
            ),
    })
    const denied = api.get('/x', z.unknown())
    await new Promise((r) => setTimeout(r, 0))
    auth.answer(null)
    await expect(denied).rejects.toMatchObject({ status: 401 })
    const error = await api.post('/pipelines', '[]').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).problem.errors).toEqual([{ path: 'tasks[0].call', message: 'unknown task' }])
  })

  it('reads an answer through its schema: one that does not fit throws, naming the field', async () => {
    const api = createApiClient({
      tokens: memoryTokens(),
      auth: createAuthGate(),
      fetch: async () => new Response('{"workers":[{"id":7}]}'),
    })
    await expect(
      api.get('/workers', z.object({ workers: z.array(z.object({ id: z.string() })) })),
    ).rejects.toThrow(/workers/)
  })
})
