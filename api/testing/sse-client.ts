/** One Server-Sent Event as a test client reads it. */
export interface SseFrame {
  id: string | null
  event: string | null
  data: string
}

/** A streaming SSE reader over fetch, for tests: frames in order, comments skipped. */
export interface SseClient {
  status: number
  /** Resolves with the next `count` frames (waits for them to arrive). */
  take(count: number, timeoutMs?: number): Promise<SseFrame[]>
  /** Drops the connection. */
  close(): void
}

function parseFrame(block: string): SseFrame | null {
  let id: string | null = null
  let event: string | null = null
  const data: string[] = []
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'id') id = value
    else if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }
  return data.length > 0 ? { id, event, data: data.join('\n') } : null
}

/** Opens an SSE stream and reads frames as they come. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController()
  const response = await fetch(url, {
    headers: { Accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  })
  const frames: SseFrame[] = []
  let notify: (() => void) | null = null
  let ended = false
  if (response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    let buffer = ''
    const pump = async (): Promise<void> => {
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          buffer += value
          let cut: number
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const frame = parseFrame(buffer.slice(0, cut))
            buffer = buffer.slice(cut + 2)
            if (frame) frames.push(frame)
          }
          notify?.()
        }
      } catch {
        // Aborted by close(): the reader ends here.
      }
      ended = true
      notify?.()
    }
    void pump()
  }
  return {
    status: response.status,
    async take(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (frames.length < count) {
        if (ended) throw new Error(`stream ended after ${frames.length} of ${count} frames`)
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`timed out with ${frames.length} of ${count} frames`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          notify = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
      return frames.splice(0, count)
    },
    close: () => abort.abort(),
  }
}
