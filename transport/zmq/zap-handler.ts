import { type Context, Router } from 'zeromq'
import { encodeZ85 } from './curve-keys.ts'

/** The address libzmq sends ZAP requests to, within one context (ZeroMQ RFC 27). */
export const ZAP_ENDPOINT = 'inproc://zeromq.zap.01'

/** A running ZAP handler. */
export interface ZapHandler {
  /** Client keys refused so far. */
  refused(): number
  close(): void
}

/**
 * Starts a ZAP handler in `context` that admits CURVE clients whose public key (Z85) is in
 * `allow` and refuses every other client and mechanism. Must start before the server sockets bind.
 */
export async function startZapHandler(
  context: Context,
  allow: readonly string[],
  log: (msg: string) => void,
): Promise<ZapHandler> {
  const allowed = new Set(allow)
  const router = new Router({ context, linger: 0 })
  await router.bind(ZAP_ENDPOINT)
  let refusedCount = 0
  const loggedKeys = new Set<string>()

  const serve = async (): Promise<void> => {
    for await (const frames of router) {
      // [routing id, empty, version, request id, domain, address, identity, mechanism, ...credentials]
      const [routingId, delimiter, version, requestId, , address, , mechanism, key] = frames
      if (!routingId || !delimiter || !requestId) continue
      const isCurve = mechanism?.toString() === 'CURVE' && key?.length === 32
      const clientKey = isCurve ? encodeZ85(key) : ''
      const isAllowed = version?.toString() === '1.0' && isCurve && allowed.has(clientKey)
      if (!isAllowed) {
        refusedCount++
        // Once per key: a refused worker's sockets (and its retries) would flood the log.
        if (!loggedKeys.has(clientKey) && loggedKeys.size < 1_000) {
          loggedKeys.add(clientKey)
          log(
            `refused a ${mechanism?.toString() ?? '?'} client from ${address?.toString() ?? '?'}${clientKey ? ` with key ${clientKey}` : ''}`,
          )
        }
      }
      const status = isAllowed ? ['200', 'OK'] : ['400', 'not in the allowed keys']
      // Strictly request, then reply: one send in flight, and the next request read only after it.
      await router.send([
        routingId,
        delimiter,
        Buffer.from('1.0'),
        requestId,
        ...status.map((s) => Buffer.from(s)),
        Buffer.from(isAllowed ? clientKey : ''),
        Buffer.alloc(0),
      ])
    }
  }
  serve().catch((error: unknown) => log(`ZAP handler stopped: ${String(error)}`))

  return {
    refused: () => refusedCount,
    close() {
      router.close()
    },
  }
}
