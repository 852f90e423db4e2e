import { Show } from 'solid-js'

/** A horizontal bar for a 0–1 fraction, with a label over it. */
export function ProgressBar(props: { fraction: number; label?: string; status?: string }) {
  const percent = () => Math.max(0, Math.min(1, props.fraction)) * 100
  return (
    <div
      class={`progress status-${props.status ?? 'running'}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(percent())}
    >
      <div class="progress-fill" style={{ width: `${percent()}%` }} />
      <Show when={props.label}>
        <span class="progress-label">{props.label}</span>
      </Show>
    </div>
  )
}
