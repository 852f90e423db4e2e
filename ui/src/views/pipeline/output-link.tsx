import { useServices } from '../../app-context.ts'
import { linkTo } from '../../router.ts'

const DATASET_CALLS = new Set(['FETCH_FESTVOX', 'FILTER_LONGER', 'FILTER_SHORTER', 'EXTRACT_MFCC'])

/** What the view link of an output is called, from the task that made it (the blob view checks the kind). */
export function describeOutput(call: string): string {
  if (call === 'LEARN') return 'training view'
  if (DATASET_CALLS.has(call)) return 'dataset view'
  return 'view'
}

/** An output CID: a link to its view (dataset, training or JSON) and to the raw bytes. */
export function OutputLink(props: { cid: string; call: string }) {
  const { api } = useServices()
  return (
    <span class="output-link">
      <a class="mono cid" href={linkTo({ view: 'blob', cid: props.cid })} title={props.cid}>
        {props.cid.slice(0, 12)}…{props.cid.slice(-6)}
      </a>{' '}
      <a href={linkTo({ view: 'blob', cid: props.cid })} class="small">
        {describeOutput(props.call)}
      </a>{' '}
      <a href={api.url(`/blobs/${props.cid}`)} class="small muted" target="_blank" rel="noreferrer">
        raw
      </a>
    </span>
  )
}
