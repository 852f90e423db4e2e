import { render } from 'solid-js/web'
import { createAuthGate } from './api/auth-gate.ts'
import { createApiClient } from './api/client.ts'
import { createSessionTokenStore } from './api/token-store.ts'
import { App } from './app.tsx'
import { createEventStream } from './live/event-stream.ts'
import './styles.css'

const tokens = createSessionTokenStore()
// EventSource hides a 401: once a token is given (the API client asks on its first 401), reconnect with it.
const auth = createAuthGate(() => events.reconnect())
const api = createApiClient({ tokens, auth })
const events = createEventStream(() => api.eventsUrl())

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')
render(() => <App services={{ api, events, auth }} />, root)
