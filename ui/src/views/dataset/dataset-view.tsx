import { createMemo, createSignal, For, Show } from 'solid-js'
import type { DatasetItem, DatasetManifest } from '../../../../core/domain/index.ts'
import { AudioPlayer } from './audio-player.tsx'
import { MfccHeatmap } from './mfcc-heatmap.tsx'

/** Items per table page: large manifests stay quick to render. */
export const ITEMS_PER_PAGE = 100

/** A dataset manifest: its items (id, speaker, duration, text), one item's audio and MFCC, skipped entries. */
export function DatasetView(props: { cid: string; manifest: DatasetManifest }) {
  const [speaker, setSpeaker] = createSignal('')
  const [page, setPage] = createSignal(0)
  const [selected, setSelected] = createSignal<DatasetItem | null>(null)
  const speakers = createMemo(() => [...new Set(props.manifest.items.map((i) => i.speaker))].sort())
  const items = createMemo(() => props.manifest.items.filter((i) => !speaker() || i.speaker === speaker()))
  const pages = () => Math.max(1, Math.ceil(items().length / ITEMS_PER_PAGE))
  const shown = () => items().slice(page() * ITEMS_PER_PAGE, (page() + 1) * ITEMS_PER_PAGE)
  const totalSeconds = () => props.manifest.items.reduce((s, i) => s + i.seconds, 0)
  const skipped = () => props.manifest.sources.flatMap((s) => s.skipped.map((k) => ({ ...k, url: s.url })))

  return (
    <section class="view dataset">
      <header class="view-header">
        <h1>Dataset</h1>
        <span class="muted">
          {props.manifest.items.length} items · {speakers().length} speakers ·{' '}
          {(totalSeconds() / 60).toFixed(1)} min
        </span>
        <label class="filter">
          Speaker{' '}
          <select
            value={speaker()}
            onChange={(e) => {
              setSpeaker(e.currentTarget.value)
              setPage(0)
            }}
          >
            <option value="">all</option>
            <For each={speakers()}>{(s) => <option value={s}>{s}</option>}</For>
          </select>
        </label>
      </header>
      <Show when={selected()}>
        {(item) => (
          <div class="item-detail" data-item={item().id}>
            <h2 class="mono">{item().id}</h2>
            <p>{item().text ?? <span class="muted">no transcript</span>}</p>
            <p class="muted small">
              {item().sampleRate} Hz · {item().channels === 1 ? 'mono' : `${item().channels} channels`} ·{' '}
              {item().seconds.toFixed(2)} s
            </p>
            <AudioPlayer cid={item().audio} />
            <Show when={item().mfcc} fallback={<p class="muted">No MFCC yet (run EXTRACT_MFCC).</p>}>
              {(mfcc) => <MfccHeatmap cid={mfcc()} />}
            </Show>
          </div>
        )}
      </Show>
      <table class="grid items">
        <thead>
          <tr>
            <th>Id</th>
            <th>Speaker</th>
            <th>Duration</th>
            <th>Text</th>
          </tr>
        </thead>
        <tbody>
          <For
            each={shown()}
            fallback={
              <tr>
                <td colSpan={4} class="empty">
                  No items.
                </td>
              </tr>
            }
          >
            {(item) => (
              <tr
                classList={{ selected: selected()?.id === item.id }}
                onClick={() => setSelected(item)}
                data-item={item.id}
              >
                <td class="mono">
                  <button type="button" class="link" onClick={() => setSelected(item)}>
                    {item.id}
                  </button>
                </td>
                <td>{item.speaker}</td>
                <td>{item.seconds.toFixed(2)} s</td>
                <td>{item.text ?? ''}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={pages() > 1}>
        <nav class="pager">
          <button type="button" disabled={page() === 0} onClick={() => setPage((p) => p - 1)}>
            ← Previous
          </button>
          <span class="muted">
            Page {page() + 1} of {pages()}
          </span>
          <button type="button" disabled={page() + 1 >= pages()} onClick={() => setPage((p) => p + 1)}>
            Next →
          </button>
        </nav>
      </Show>
      <Show when={skipped().length > 0}>
        <details class="skipped">
          <summary>{skipped().length} skipped entries</summary>
          <ul>
            <For each={skipped()}>
              {(s) => (
                <li>
                  <span class="mono">{s.entry}</span>: {s.reason}
                </li>
              )}
            </For>
          </ul>
        </details>
      </Show>
    </section>
  )
}
