import { BanzaiError, ValidationError } from '../../core/domain/index.ts'
import { TransportEndpoints } from '../../core/domain/index.ts'

const WILDCARD_HOSTS = new Set(['0.0.0.0', '*', '[::]', '::'])

/** Points endpoints bound on every interface (`tcp://0.0.0.0:5555`) at the host the monitor was reached on. */
function reachable(endpoint: string, host: string): string {
  const match = /^tcp:\/\/(.+):(\d+)$/.exec(endpoint)
  if (!match || !WILDCARD_HOSTS.has(match[1]!)) return endpoint
  return `tcp://${host}:${match[2]!}`
}

/** Reads a monitor's ZeroMQ endpoints from `${monitorUrl}/api/transport`; throws `unavailable` when it cannot be reached. */
export async function discoverTransport(
  monitorUrl: string,
  options: { timeoutMs?: number; token?: string } = {},
): Promise<TransportEndpoints> {
  const base = monitorUrl.replace(/\/+$/, '')
  const url = `${base}/api/transport`
  let response: Response
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    })
  } catch (error) {
    const cause =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error)
    throw new BanzaiError('unavailable', `the monitor at ${base} is unreachable (GET ${url}: ${cause})`)
  }
  if (!response.ok)
    throw new BanzaiError(
      'unavailable',
      `the monitor at ${base} answered GET /api/transport with HTTP ${response.status}`,
    )
  let body: unknown
  try {
    body = await response.json()
  } catch {
    throw new ValidationError(`GET ${url} did not return JSON`)
  }
  const parsed = TransportEndpoints.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ValidationError(
      `GET ${url} returned no transport description: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
    )
  }
  const host = new URL(base).hostname
  const endpoints = parsed.data
  return {
    reports: reachable(endpoints.reports, host),
    control: reachable(endpoints.control, host),
    lanes: endpoints.lanes,
    curveServerKey: endpoints.curveServerKey,
    ...(endpoints.cluster !== undefined ? { cluster: endpoints.cluster } : {}),
  }
}
