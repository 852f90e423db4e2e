import { createSignal, onCleanup, type Accessor } from 'solid-js'

/** The current time in ms, ticking every `everyMs` (default 1 s) while the owner lives. */
export function createClock(everyMs = 1000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now())
  const timer = setInterval(() => setNow(Date.now()), everyMs)
  onCleanup(() => clearInterval(timer))
  return now
}
