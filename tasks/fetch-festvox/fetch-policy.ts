import { lookup } from 'node:dns/promises'
import { isIPv4, isIPv6 } from 'node:net'

/** Where FETCH_FESTVOX may download from (worker settings). */
export interface FetchPolicy {
  /** When not empty, the only host names (or IP literals) allowed; `--fetch-hosts` / BANZAI_FETCH_HOSTS. */
  hosts: string[]
  /** The monitor's API (`--monitor`): its exact scheme://host:port is refused, so a task cannot call it. */
  monitorUrl: string | null
}

/** A download refused by the policy: not retryable, and never counted as a network failure. */
export class FetchRefusedError extends Error {}

/** Resolves a host name to all its addresses (the system resolver, as `fetch` itself uses). */
export type ResolveHost = (host: string) => Promise<string[]>

const resolveWithSystem: ResolveHost = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)

const MAX_REDIRECTS = 20

/**
 * `fetch` that checks the URL and every redirect against the policy after name resolution:
 * link-local and cloud-metadata addresses (169.254.0.0/16, fe80::/10, 100.100.100.200,
 * fd00:ec2::254, unspecified) are refused, and so is the monitor's own API; loopback on another
 * port (a fixture server) is allowed. Names are resolved here and again by `fetch`, so a DNS
 * answer that changes in between (rebinding) is not caught; `hosts` closes that gap.
 */
export async function fetchWithPolicy(
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
  policy: FetchPolicy,
  resolveHost: ResolveHost = resolveWithSystem,
): Promise<Response> {
  let target = url
  for (let hop = 0; ; hop++) {
    await checkUrl(target, policy, resolveHost)
    const response = await fetch(target, { ...init, redirect: 'manual' })
    const location = response.headers.get('location')
    if (response.status < 300 || response.status > 399 || location === null) return response
    await response.body?.cancel()
    if (hop === MAX_REDIRECTS)
      throw new FetchRefusedError(`${url}: redirect count exceeded (more than ${MAX_REDIRECTS})`)
    target = new URL(location, target).href
  }
}

async function checkUrl(url: string, policy: FetchPolicy, resolveHost: ResolveHost): Promise<void> {
  const parsed = new URL(url)
  const host = bareHost(parsed.hostname)
  if (policy.hosts.length > 0 && !policy.hosts.some((h) => bareHost(h).toLowerCase() === host.toLowerCase()))
    throw new FetchRefusedError(
      `${url}: host ${host} is not in the allowed list (--fetch-hosts / BANZAI_FETCH_HOSTS: ${policy.hosts.join(', ')})`,
    )
  const addresses = await addressesOf(host, resolveHost)
  for (const address of addresses) {
    const why = forbiddenRange(address)
    if (why) throw new FetchRefusedError(`${url}: ${host} resolves to ${address}, ${why}; refused`)
  }
  if (policy.monitorUrl === null) return
  const monitor = new URL(policy.monitorUrl)
  if (monitor.protocol !== parsed.protocol || portOf(monitor) !== portOf(parsed)) return
  const monitorAddresses = await addressesOf(bareHost(monitor.hostname), resolveHost)
  const isSame = addresses.some((a) =>
    monitorAddresses.some((m) => a === m || (isLoopback(a) && isLoopback(m))),
  )
  if (isSame)
    throw new FetchRefusedError(`${url}: that is the monitor's own API (${monitor.origin}); refused`)
}

async function addressesOf(host: string, resolveHost: ResolveHost): Promise<string[]> {
  return isIPv4(host) || isIPv6(host) ? [host] : resolveHost(host)
}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
}

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80')
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:169.254.169.254`), else the address. */
function unmapped(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (dotted) return dotted[1]!
  // The WHATWG URL parser writes it in hex: [::ffff:a9fe:a9fe].
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)
  if (!hex) return address
  const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)]
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`
}

function isLoopback(address: string): boolean {
  const a = unmapped(address)
  return a.startsWith('127.') || a === '::1'
}

/** Why an address may not be fetched, or null. */
function forbiddenRange(address: string): string | null {
  const a = unmapped(address).toLowerCase()
  if (isIPv4(a)) {
    if (a.startsWith('169.254.')) return 'a link-local address (cloud metadata lives at 169.254.169.254)'
    if (a === '100.100.100.200') return 'a cloud metadata address'
    if (a.startsWith('0.')) return 'an unspecified address'
    return null
  }
  if (/^fe[89ab][0-9a-f]:/.test(a)) return 'a link-local address'
  if (a === 'fd00:ec2::254') return 'a cloud metadata address'
  if (a === '::') return 'an unspecified address'
  return null
}
