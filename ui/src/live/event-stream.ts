import { createSignal, type Accessor } from 'solid-js'
import { EVENT_TYPES, StoredEvent } from '../../../core/domain/index.ts'

/** Connection state of the live stream, shown in the header. */
export type StreamState = 'connecting' | 'open' | 'closed'

/** The page's one live stream of events (SSE on `/api/events`). */
export interface EventStream {
  /** Calls `listener` for each new event; returns the unsubscribe function. */
  subscribe(listener: (event: StoredEvent) => void): () => void
  state: Accessor<StreamState>
  /** Reconnects, e.g. after the token changed. */
  reconnect(): void
  close(): void
}

/** `EventSource.CLOSED`, spelled out so the module loads where EventSource is missing. */
const CLOSED = 2

/** Wait before reopening a stream the browser gave up on, ms. */
const RETRY_MS = 5000

/** Reads one SSE message as a stored event; anything else (pings, other shapes) is ignored. */
export function readStoredEvent(data: string): StoredEvent | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(data)
  } catch {
    return null
  }
  const event = StoredEvent.safeParse(parsed)
  return event.success ? event.data : null
}

/**
 * Opens one EventSource on `url()` and fans its events out. The browser resumes with
 * `Last-Event-ID` after a drop; events already seen (by global seq) are not delivered twice.
 */
export function createEventStream(
  url: () => string,
  open: (url: string) => EventSource = (u) => new EventSource(u),
): EventStream {
  const listeners = new Set<(event: StoredEvent) => void>()
  const [state, setState] = createSignal<StreamState>('connecting')
  let source: EventSource | null = null
  let lastSeq = 0
  let retry: ReturnType<typeof setTimeout> | null = null

  function deliver(message: MessageEvent<string>): void {
    const event = readStoredEvent(message.data)
    if (!event || event.seq <= lastSeq) return
    lastSeq = event.seq
    for (const listener of listeners) listener(event)
  }

  function connect(): void {
    if (retry !== null) clearTimeout(retry)
    retry = null
    source?.close()
    setState('connecting')
    const next = open(url())
    next.onopen = () => setState('open')
    next.onerror = () => {
      if (next.readyState !== CLOSED) return setState('connecting')
      // The browser gives up on a non-200 answer (401, a restarting server): try again later.
      setState('closed')
      if (retry === null && source === next) retry = setTimeout(connect, RETRY_MS)
    }
    next.onmessage = deliver
    for (const type of EVENT_TYPES) next.addEventListener(type, deliver)
    source = next
  }

  connect()
  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    state,
    reconnect: connect,
    close() {
      if (retry !== null) clearTimeout(retry)
      retry = null
      source?.close()
      source = null
      setState('closed')
    },
  }
}
