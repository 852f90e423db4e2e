import { MAX_FRAME_BYTES } from './codec.ts'

/** CURVE settings of a monitor: its key pair, and the worker public keys it admits (all, when absent). */
export interface MonitorCurve {
  secretKey: string
  publicKey: string
  allow?: string[]
}

/** CURVE settings of a worker: its own key pair and the monitor's public key. */
export interface WorkerCurve {
  secretKey: string
  publicKey: string
  serverKey: string
}

/**
 * TCP keepalive, so a vanished peer (a partition: no FIN, no RST) is noticed and its pipe dropped
 * within about 20 s. The kernel does it, not libzmq: libzmq 4.3.5's ZMTP heartbeats combined with
 * low high-water marks abort the process under load (`pipe.cpp:355`, seen in our tests; see also
 * libzmq issues 3596 and 3937). Lost orders are caught by leases either way.
 */
export const LINK_KEEPALIVE = {
  tcpKeepalive: 1,
  tcpKeepaliveIdle: 10,
  tcpKeepaliveInterval: 2,
  tcpKeepaliveCount: 5,
}

/**
 * For a socket that receives from peers it does not trust (the monitor's reports, a worker's
 * orders): libzmq disconnects a peer that sends a frame over 1 MiB instead of buffering it
 * whole, so a hostile local process cannot exhaust the receiver's memory with one frame. No
 * legitimate message is that large: the codec refuses such frames anyway (`too-large`).
 */
export const INBOUND_LIMIT = { maxMessageSize: MAX_FRAME_BYTES }

/** Socket options that make a monitor socket a CURVE server (empty without CURVE). */
export function serverSecurity(curve: MonitorCurve | undefined): Record<string, unknown> {
  if (!curve) return {}
  // With an allow list, a handshake the ZAP handler cannot vouch for fails (closed, not open).
  const zap = curve.allow ? { zapDomain: 'banzai', zapEnforceDomain: true } : {}
  return { curveServer: true, curveSecretKey: curve.secretKey, curvePublicKey: curve.publicKey, ...zap }
}

/** Socket options that make a worker socket a CURVE client (empty without CURVE). */
export function clientSecurity(curve: WorkerCurve | undefined): Record<string, unknown> {
  if (!curve) return {}
  return { curveServerKey: curve.serverKey, curveSecretKey: curve.secretKey, curvePublicKey: curve.publicKey }
}
