/** Limits of the event stream (SPEC §10); defaults in `createReplayGate`. */
export interface ReplayLimits {
  /** Streams open at once; beyond, 503 with Retry-After (default 2000). */
  maxStreams?: number
  /** Streams reading the log at once; the others wait their turn, first come first served (default 4). */
  maxReaders?: number
  /** Events read from the log in one turn (default 100). */
  pageSize?: number
  /** Seconds a refused client is told to wait (default 5). */
  retryAfterSeconds?: number
}

/** Admission of streams and turns at reading the log, shared by every stream of one API. */
export interface ReplayGate {
  readonly pageSize: number
  readonly retryAfterSeconds: number
  /** A slot for one more stream (release it when the stream ends), or null when all are taken. */
  admit(): (() => void) | null
  /** Waits for a turn at reading one page of history; call the returned function when done. */
  turn(): Promise<() => void>
  /** Streams admitted, and streams waiting for a turn. */
  stats(): { open: number; reading: number; waiting: number }
}

/**
 * The back-pressure of SPEC §10: at most `maxStreams` streams; at most `maxReaders` of them read
 * a page of the log at a time, in FIFO order, and a turn ends on a later turn of the event loop
 * (`setImmediate`), so HTTP requests and worker messages run between any two pages.
 */
export function createReplayGate(limits: ReplayLimits = {}): ReplayGate {
  const maxStreams = limits.maxStreams ?? 2_000
  const maxReaders = limits.maxReaders ?? 4
  let open = 0
  let reading = 0
  const waiting: (() => void)[] = []

  const finishTurn = (): void => {
    const next = waiting.shift()
    if (next) next()
    else reading--
  }
  const grant = (): (() => void) => {
    let done = false
    return () => {
      if (done) return
      done = true
      setImmediate(finishTurn)
    }
  }

  return {
    pageSize: limits.pageSize ?? 100,
    retryAfterSeconds: limits.retryAfterSeconds ?? 5,
    admit() {
      if (open >= maxStreams) return null
      open++
      let released = false
      return () => {
        if (released) return
        released = true
        open--
      }
    },
    turn() {
      if (reading < maxReaders) {
        reading++
        return Promise.resolve(grant())
      }
      // The finishing reader hands its slot straight to the first in line: `reading` stays the same.
      return new Promise((resolve) => waiting.push(() => resolve(grant())))
    },
    stats: () => ({ open, reading, waiting: waiting.length }),
  }
}
