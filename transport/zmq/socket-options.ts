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

/** ZMTP heartbeats, so a vanished peer is noticed (and its pipe dropped) within seconds, ms. */
export const LINK_HEARTBEAT = { heartbeatInterval: 1_000, heartbeatTimeout: 3_000, heartbeatTimeToLive: 3_000 }

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
