import { onCleanup } from 'solid-js'

/** Calls `fn` at most once per `ms`, trailing: bursts of live events become one re-fetch. */
export function createThrottle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  onCleanup(() => {
    if (timer) clearTimeout(timer)
  })
  return () => {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      fn()
    }, ms)
  }
}
