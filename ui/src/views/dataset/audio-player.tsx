import { createResource, onCleanup, Show } from 'solid-js'
import { useServices } from '../../app-context.ts'
import { ErrorBox } from '../../components/error-box.tsx'
import { settled } from '../../api/settled.ts'

/**
 * Plays a WAV blob. Without a token the browser streams `/api/blobs/<cid>` itself, with range
 * requests; with one (an `<audio>` cannot send headers) the bytes are fetched and played from
 * memory.
 */
export function AudioPlayer(props: { cid: string }) {
  const { api } = useServices()
  const direct = api.tokens.get() === null
  const [objectUrl] = createResource(
    () => (direct ? null : props.cid),
    async (cid) => URL.createObjectURL(new Blob([await api.bytes(`/blobs/${cid}`)], { type: 'audio/wav' })),
  )
  onCleanup(() => {
    const url = settled(objectUrl)
    if (url) URL.revokeObjectURL(url)
  })
  return (
    <>
      <ErrorBox error={objectUrl.error as unknown} />
      <Show when={direct ? api.url(`/blobs/${props.cid}`) : settled(objectUrl)}>
        {(src) => <audio controls preload="metadata" src={src()} />}
      </Show>
    </>
  )
}
