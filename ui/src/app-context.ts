import { createContext, useContext } from 'solid-js'
import type { AuthGate } from './api/auth-gate.ts'
import type { ApiClient } from './api/client.ts'
import type { EventStream } from './live/event-stream.ts'

/** What every view needs: the API client, the live stream, the auth gate. */
export interface AppServices {
  api: ApiClient
  events: EventStream
  auth: AuthGate
}

/** Provides the services to the views. */
export const AppContext = createContext<AppServices>()

/** The services of the page; views are always rendered inside `AppContext.Provider`. */
export function useServices(): AppServices {
  const services = useContext(AppContext)
  if (!services) throw new Error('useServices() outside <AppContext.Provider>')
  return services
}
