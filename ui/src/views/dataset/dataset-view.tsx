import { createResource, createSignal, For, Show } from 'solid-js'
import { type DatasetItem, DatasetItemPage } from '../../../../core/domain/index.ts'
import { useServices } from '../../app-context.ts'
import { ErrorBox } from '../../components/error-box.tsx'
import { settled } from '../../api/settled.ts'
import { AudioPlayer } from './audio-player.tsx'
import { MfccHeatmap } from './mfcc-heatmap.tsx'

/** Items per table page, each page read from `GET /api/datasets/:cid/items`: the manifest never travels whole. */
export const ITEMS_PER_PAGE = 100

/** The path of one page of a dataset's items (SPEC §7 v3). */
export function itemsPath(cid: string, page: number, speaker: string): string {
  const filter = speaker ? `&speaker=${encodeURIComponent(speaker)}` : ''
  return `/datasets/${cid}/items?after=${page * ITEMS_PER_PAGE}&limit=${ITEMS_PER_PAGE}${filter}`
}

/**
 * A dataset: its items page by page (id, speaker, duration, text), filtered by speaker on the
 * server, one item's audio and MFCC, and the skipped entries' count. `first` is its first page.
 */
export function DatasetView(props: { cid: string; first: DatasetItemPage }) {
  const { api } = useServices()
  const [speaker, setSpeaker] = createSignal('')
  const [page, setPage] = createSignal(0)
  const [selected, setSelected] = createSignal<DatasetItem | null>(null)
  const [current] = createResource(
    () => ({ cid: props.cid, page: page(), speaker: speaker() }),
    (key) =>
      key.page === 0 && key.speaker === ''
        ? props.first
        : api.get(itemsPath(key.cid, key.page, key.speaker), DatasetItemPage),
  )
  const shownPage = () => settled(current) ?? props.first
  const pages = () => Math.max(1, Math.ceil(shownPage().total / ITEMS_PER_PAGE))
  const skipped = () => props.first.sources.reduce((n, s) => n + s.skipped, 0)

  return (
    <section class="view dataset">
      <header class="view-header">
        <h1>Dataset</h1>
        <span class="muted">
          {props.first.total} items · {props.first.speakers.length} speakers ·{' '}
          {(props.first.seconds / 60).toFixed(1)} min
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
            <For each={props.first.speakers}>{(s) => <option value={s}>{s}</option>}</For>
          </select>
        </label>
      </header>
      <ErrorBox error={current.error as unknown} />
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
            each={shownPage().items}
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
      <Show when={skipped() > 0}>
        <p class="skipped muted">
          {skipped()} skipped entries (listed in the{' '}
          <a href={api.url(`/blobs/${props.cid}`)} download={`${props.cid}.json`}>
            manifest
          </a>
          )
        </p>
      </Show>
    </section>
  )
}
