import { Match, Show, Switch } from 'solid-js'
import { AppContext, type AppServices } from './app-context.ts'
import { TokenPrompt } from './components/token-prompt.tsx'
import { linkTo, useRoute, type Route } from './router.ts'
import { BlobView } from './views/blob-view.tsx'
import { PipelinePage } from './views/pipeline/pipeline-page.tsx'
import { PipelineList } from './views/pipelines/pipeline-list.tsx'
import { ReplayView } from './views/replay/replay-view.tsx'
import { SubmitView } from './views/submit/submit-view.tsx'
import { WorkersView } from './views/workers/workers-view.tsx'

const STREAM_LABEL = { connecting: 'connecting…', open: 'live', closed: 'offline' } as const

/** The dashboard: header, navigation, the routed view, and the token prompt. */
export function App(props: { services: AppServices }) {
  const route = useRoute()
  const is = <V extends Route['view']>(view: V): Extract<Route, { view: V }> | false => {
    const r = route()
    return r.view === view ? (r as Extract<Route, { view: V }>) : false
  }
  const section = () => {
    const view = route().view
    return view === 'pipeline' || view === 'replay' ? 'pipelines' : view
  }
  return (
    <AppContext.Provider value={props.services}>
      <header class="topbar">
        <a class="brand" href={linkTo({ view: 'pipelines' })}>
          Banzai
        </a>
        <nav>
          <a href={linkTo({ view: 'pipelines' })} classList={{ active: section() === 'pipelines' }}>
            Pipelines
          </a>
          <a href={linkTo({ view: 'workers' })} classList={{ active: section() === 'workers' }}>
            Workers
          </a>
          <a href={linkTo({ view: 'submit' })} classList={{ active: section() === 'submit' }}>
            Submit
          </a>
        </nav>
        <span
          class={`stream stream-${props.services.events.state()}`}
          title="Live updates (Server-Sent Events)"
        >
          {STREAM_LABEL[props.services.events.state()]}
        </span>
      </header>
      <main>
        {/* Keyed on the parameters, so moving to another pipeline builds a fresh view. */}
        <Switch
          fallback={
            <p>
              Not found. <a href={linkTo({ view: 'pipelines' })}>Back to the pipelines</a>.
            </p>
          }
        >
          <Match when={is('pipelines')}>
            <PipelineList />
          </Match>
          <Match when={is('pipeline') && (is('pipeline') as { id: string }).id} keyed>
            {(id) => <PipelinePage id={id} />}
          </Match>
          <Match when={is('replay') && (is('replay') as { id: string }).id} keyed>
            {(id) => <ReplayView id={id} at={(is('replay') || { at: null }).at} />}
          </Match>
          <Match when={is('blob') && (is('blob') as { cid: string }).cid} keyed>
            {(cid) => <BlobView cid={cid} />}
          </Match>
          <Match when={is('workers')}>
            <WorkersView />
          </Match>
          <Match when={is('submit')}>
            <SubmitView />
          </Match>
        </Switch>
      </main>
      <Show when={props.services.auth.prompt()}>
        <TokenPrompt auth={props.services.auth} />
      </Show>
    </AppContext.Provider>
  )
}
