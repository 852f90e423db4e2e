import type { Server } from 'node:net'
import type { Socket } from 'node:net'

/**
 * Lets at most `perTurn` new connections start per turn of the event loop (default 32); the
 * rest wait, paused before their first byte is read, and start in arrival order on the next
 * turns. A burst of a thousand clients (issue 15) then costs each turn a few milliseconds of
 * parsing and routing instead of one turn all of it, and the connections already open (a
 * kept-alive healthz probe, the dashboard, the workers' HTTP) are served in between.
 * Relies on `pauseOnConnect`, which http.Server inherits from net.Server.
 */
export function paceConnections(server: Server, perTurn = 32): { waiting(): number } {
  const queue: Socket[] = []
  let head = 0
  let startedThisTurn = 0
  let scheduled = false

  const start = (socket: Socket): void => {
    startedThisTurn++
    if (!socket.destroyed) socket.resume()
  }
  const nextTurn = (): void => {
    scheduled = false
    startedThisTurn = 0
    while (startedThisTurn < perTurn && head < queue.length) start(queue[head++]!)
    if (head === queue.length) {
      queue.length = 0
      head = 0
    }
    if (startedThisTurn > 0) schedule()
  }
  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    setImmediate(nextTurn)
  }

  ;(server as Server & { pauseOnConnect: boolean }).pauseOnConnect = true
  server.on('connection', (socket: Socket) => {
    if (startedThisTurn < perTurn && head === queue.length) start(socket)
    else queue.push(socket)
    schedule()
  })
  return { waiting: () => queue.length - head }
}
