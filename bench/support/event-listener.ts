import type { StoredEvent } from '../../core/domain/index.ts'

/** A live subscription to `GET /api/events` (Server-Sent Events of the global log). */
export interface EventListener {
  /** Stops listening and drops the connection. */
  close(): void
}

/**
 * Follows the monitor's global event stream from `after` (default: now) and calls `onEvent` with
 * each stored event and the `performance.now()` at which its frame arrived, in log order.
 * Resolves once the stream is open, so no event committed after that is missed. With `types`,
 * only frames of those event types are parsed and handed on (read off the frame's `event:`
 * line): a timing client that waits for pipeline ends then spends no CPU on the other frames,
 * CPU the system it times shares on a 2-core machine.
 */
export async function listenToEvents(
  url: string,
  onEvent: (event: StoredEvent, arrivedMs: number) => void,
  after?: number,
  types?: ReadonlySet<string>,
): Promise<EventListener> {
  const abort = new AbortController()
  const query = after === undefined ? '' : `?after=${after}`
  const response = await fetch(`${url}/api/events${query}`, {
    headers: { accept: 'text/event-stream' },
    signal: abort.signal,
  })
  if (!response.ok || !response.body) throw new Error(`GET /api/events: HTTP ${response.status}`)
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  const pump = async (): Promise<void> => {
    let buffer = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      const arrived = performance.now()
      buffer += value
      let cut: number
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut)
        buffer = buffer.slice(cut + 2)
        if (types && !types.has(/^event: ?(.*)$/m.exec(block)?.[1] ?? '')) continue
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
        // Comments (`: ping`) carry no data.
        if (data.length > 0) onEvent(JSON.parse(data.join('\n')) as StoredEvent, arrived)
      }
    }
  }
  pump().catch((error: unknown) => {
    // close() aborts the read; anything else is a real failure of the stream.
    if (!abort.signal.aborted) console.error('event stream failed:', error)
  })
  return { close: () => abort.abort() }
}
