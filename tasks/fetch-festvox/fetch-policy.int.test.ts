import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { FetchRefusedError, fetchWithPolicy, type FetchPolicy } from './fetch-policy.ts'

// FETCH's address rules, on real sockets: a fixture server on loopback is fine; link-local and
// metadata addresses (literal, behind a name, behind a redirect) and the monitor's own API are refused.
let fixture: Server
let monitor: Server
let fixtureUrl = ''
let monitorUrl = ''

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler)
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      resolve({
        server,
        url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      })
    }),
  )
}

beforeAll(async () => {
  ;({ server: fixture, url: fixtureUrl } = await listen((req, res) => {
    if (req.url === '/to-metadata')
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' })
    else if (req.url === '/to-monitor') res.writeHead(301, { location: `${monitorUrl}/api/healthz` })
    else if (req.url === '/to-zip') res.writeHead(302, { location: '/zip' })
    else res.writeHead(200, { 'content-type': 'application/zip' })
    res.end('ok')
  }))
  ;({ server: monitor, url: monitorUrl } = await listen((_req, res) => res.writeHead(200).end('monitor')))
})
afterAll(() => {
  fixture.close()
  monitor.close()
})

const signal = new AbortController().signal
const init = { headers: {}, signal }
const policy = (): FetchPolicy => ({ hosts: [], monitorUrl })
/** A resolver with a fake name for a metadata address; other names go to the system resolver's answer for localhost. */
const resolveHost = async (host: string): Promise<string[]> =>
  host === 'metadata.example' ? ['169.254.169.254'] : host === 'localhost' ? ['127.0.0.1', '::1'] : []

async function refusal(url: string, p: FetchPolicy = policy()): Promise<string> {
  const error = await fetchWithPolicy(url, init, p, resolveHost).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(FetchRefusedError)
  return (error as Error).message
}

test('a fixture server on loopback (another port than the monitor) is fetched, redirects too', async () => {
  const direct = await fetchWithPolicy(`${fixtureUrl}/zip`, init, policy(), resolveHost)
  expect(direct.status).toBe(200)
  const redirected = await fetchWithPolicy(`${fixtureUrl}/to-zip`, init, policy(), resolveHost)
  expect(redirected.status).toBe(200)
  expect(await redirected.text()).toBe('ok')
})

test('link-local and metadata addresses are refused, literal, mapped, by name or by redirect', async () => {
  expect(await refusal('http://169.254.169.254/latest/meta-data/')).toContain('link-local')
  expect(await refusal('http://[::ffff:169.254.169.254]/')).toContain('link-local')
  expect(await refusal('http://[fe80::1]/')).toContain('link-local')
  expect(await refusal('http://100.100.100.200/')).toContain('metadata')
  expect(await refusal('http://metadata.example/computeMetadata/v1/')).toContain(
    'metadata.example resolves to 169.254.169.254',
  )
  expect(await refusal(`${fixtureUrl}/to-metadata`)).toContain('169.254.169.254')
})

test("the monitor's own API is refused by scheme://host:port after resolution, even by another name or a redirect", async () => {
  expect(await refusal(`${monitorUrl}/api/healthz`)).toContain("the monitor's own API")
  const port = new URL(monitorUrl).port
  expect(await refusal(`http://localhost:${port}/api/pipelines`)).toContain("the monitor's own API")
  expect(await refusal(`${fixtureUrl}/to-monitor`)).toContain("the monitor's own API")
})

test('with --fetch-hosts, only the listed hosts are fetched', async () => {
  const listed = await fetchWithPolicy(
    `${fixtureUrl}/zip`,
    init,
    { hosts: ['127.0.0.1'], monitorUrl },
    resolveHost,
  )
  expect(listed.status).toBe(200)
  expect(await refusal(`${fixtureUrl}/zip`, { hosts: ['festvox.org'], monitorUrl })).toContain(
    'not in the allowed list (--fetch-hosts / BANZAI_FETCH_HOSTS: festvox.org)',
  )
})
