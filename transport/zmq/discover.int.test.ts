import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { discoverTransport } from './index.ts'

let server: Server | undefined
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  server = undefined
})

async function serve(status: number, body: string): Promise<string> {
  server = createServer((request, response) => {
    response.writeHead(request.url === '/api/transport' ? status : 404, {
      'content-type': 'application/json',
    })
    response.end(body)
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}/`
}

describe('discoverTransport', () => {
  it('reads the endpoints, pointing wildcard binds at the host the monitor was reached on', async () => {
    const url = await serve(
      200,
      JSON.stringify({
        reports: 'tcp://0.0.0.0:5555',
        control: 'tcp://0.0.0.0:5556',
        lanes: ['default'],
        curveServerKey: null,
      }),
    )
    expect(await discoverTransport(url)).toEqual({
      reports: 'tcp://127.0.0.1:5555',
      control: 'tcp://127.0.0.1:5556',
      lanes: ['default'],
      curveServerKey: null,
    })
  })

  it('says clearly when the monitor is unreachable, answers an error, or sends something else', async () => {
    const url = await serve(503, '{}')
    await expect(discoverTransport(url)).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('HTTP 503') as unknown,
    })
    await new Promise((resolve) => server?.close(resolve))
    server = undefined
    await expect(discoverTransport(url)).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('unreachable') as unknown,
    })
    const other = await serve(200, JSON.stringify({ reports: 'http://nope' }))
    await expect(discoverTransport(other)).rejects.toMatchObject({ code: 'invalid_input' })
  })
})
