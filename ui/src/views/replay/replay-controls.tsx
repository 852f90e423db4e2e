import { onCleanup } from 'solid-js'

/**
 * Whether a key press belongs to a field: text fields move their caret, and a focused slider
 * moves itself (handling the key here too would step twice).
 */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    target.isContentEditable
  )
}

/** The slider over a run's events, step buttons, and arrow keys (Shift: ten at a time; Home, End). */
export function ReplayControls(props: { at: number; total: number; onChange: (at: number) => void }) {
  const go = (at: number): void => props.onChange(Math.max(1, Math.min(props.total, at)))
  const onKey = (e: KeyboardEvent): void => {
    if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return
    const step = e.shiftKey ? 10 : 1
    if (e.key === 'ArrowLeft') go(props.at - step)
    else if (e.key === 'ArrowRight') go(props.at + step)
    else if (e.key === 'Home') go(1)
    else if (e.key === 'End') go(props.total)
    else return
    e.preventDefault()
  }
  window.addEventListener('keydown', onKey)
  onCleanup(() => window.removeEventListener('keydown', onKey))
  return (
    <div class="replay-controls">
      <button type="button" aria-label="First event" onClick={() => go(1)} disabled={props.at <= 1}>
        «
      </button>
      <button
        type="button"
        aria-label="Previous event"
        onClick={() => go(props.at - 1)}
        disabled={props.at <= 1}
      >
        ◀
      </button>
      <input
        type="range"
        aria-label="Event"
        name="at"
        min={1}
        max={Math.max(1, props.total)}
        step={1}
        value={props.at}
        onInput={(e) => go(Number(e.currentTarget.value))}
      />
      <button
        type="button"
        aria-label="Next event"
        onClick={() => go(props.at + 1)}
        disabled={props.at >= props.total}
      >
        ▶
      </button>
      <button
        type="button"
        aria-label="Last event"
        onClick={() => go(props.total)}
        disabled={props.at >= props.total}
      >
        »
      </button>
      <span class="mono position">
        {props.at} / {props.total}
      </span>
    </div>
  )
}
