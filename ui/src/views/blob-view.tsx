import { createResource, Match, Switch } from 'solid-js'
import { DatasetItemPage } from '../../../core/domain/index.ts'
import { useServices } from '../app-context.ts'
import type { ModelDocument } from '../api/model-document.ts'
import { ErrorBox } from '../components/error-box.tsx'
import { ApiError } from '../api/problem.ts'
import { DatasetView, itemsPath } from './dataset/dataset-view.tsx'
import { TrainingView } from './training/training-view.tsx'
import { settled } from '../api/settled.ts'

/** Largest blob read to find out what it is, bytes; bigger ones are offered raw. */
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024

/** What a blob turned out to be. */
export type BlobContent =
  | { kind: 'dataset'; first: DatasetItemPage }
  | { kind: 'model'; model: ModelDocument }
  | { kind: 'json'; value: unknown }
  | { kind: 'bytes'; size: number }

/**
 * Tells a blob's content by its `kind` field: a model document, other JSON, or bytes. A dataset
 * manifest is found before (its first page of items), so it is never read whole here.
 */
export function classifyBlob(bytes: ArrayBuffer): BlobContent {
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) return { kind: 'bytes', size: bytes.byteLength }
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    return { kind: 'bytes', size: bytes.byteLength }
  }
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined
  if (kind === 'banzai.model/1') return { kind: 'model', model: value as ModelDocument }
  return { kind: 'json', value }
}

/** A stored blob shown by what it is: dataset view, training view, JSON, or a download link. */
export function BlobView(props: { cid: string }) {
  const { api } = useServices()
  const [content] = createResource(
    () => props.cid,
    async (cid): Promise<BlobContent> => {
      // A dataset is read a page at a time; only what is not one is fetched whole.
      const first = await api.get(itemsPath(cid, 0, ''), DatasetItemPage).catch((error: unknown) => {
        // 422: the blob is not a dataset manifest, so it is shown by what it is instead.
        if (error instanceof ApiError && error.status === 422) return null
        throw error
      })
      if (first) return { kind: 'dataset', first }
      return classifyBlob(await api.bytes(`/blobs/${cid}`))
    },
  )
  return (
    <>
      <ErrorBox error={content.error as unknown} />
      <Switch fallback={<p class="muted">{content.error ? '' : 'Loading…'}</p>}>
        <Match when={settled(content)?.kind === 'dataset' && settled(content)} keyed>
          {(c) => c.kind === 'dataset' && <DatasetView cid={props.cid} first={c.first} />}
        </Match>
        <Match when={settled(content)?.kind === 'model' && settled(content)} keyed>
          {(c) => c.kind === 'model' && <TrainingView cid={props.cid} model={c.model} />}
        </Match>
        <Match when={settled(content)?.kind === 'json' && settled(content)} keyed>
          {(c) =>
            c.kind === 'json' && (
              <section class="view">
                <h1 class="mono">{props.cid}</h1>
                <pre class="event-data">{JSON.stringify(c.value, null, 2)}</pre>
              </section>
            )
          }
        </Match>
        <Match when={settled(content)?.kind === 'bytes' && settled(content)} keyed>
          {(c) =>
            c.kind === 'bytes' && (
              <section class="view">
                <h1 class="mono">{props.cid}</h1>
                <p>
                  {c.size} bytes of binary data.{' '}
                  <a href={api.url(`/blobs/${props.cid}`)} download={props.cid}>
                    Download
                  </a>
                </p>
              </section>
            )
          }
        </Match>
      </Switch>
    </>
  )
}
