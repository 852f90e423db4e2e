import { createServer, type Server, type Socket, connect } from 'node:net'

/** A userspace TCP proxy on 127.0.0.1 whose links a test can cut and restore. */
export interface TcpProxy {
  /** The port the proxy listens on. */
  port: number
  /** Connections accepted since the start (both while open and while severed). */
  accepted(): number
  /** Resets every open connection (both sides) and resets new ones until `restore()`. */
  sever(): void
  /** Forwards new connections again. */
  restore(): void
  /** Resets every connection and stops listening. */
  close(): Promise<void>
}

/** Starts a proxy that forwards each connection to `target` (host and port) byte for byte. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>()
  let isSevered = false
  let accepted = 0
  const track = (socket: Socket): void => {
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    // A reset peer is the point of this proxy: errors end the pair, never the test.
    socket.on('error', () => socket.destroy())
  }
  const server: Server = createServer((client) => {
    accepted++
    if (isSevered) {
      client.on('error', () => client.destroy())
      client.resetAndDestroy()
      return
    }
    const upstream = connect(target.port, target.host)
    track(client)
    track(upstream)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address')
  const resetAll = (): void => {
    for (const socket of [...open]) socket.resetAndDestroy()
    open.clear()
  }
  return {
    port: address.port,
    accepted: () => accepted,
    sever() {
      isSevered = true
      resetAll()
    },
    restore() {
      isSevered = false
    },
    close() {
      isSevered = true
      resetAll()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
