import { render } from '@solidjs/testing-library'
import type { JSX } from 'solid-js'
import type { AppServices } from '../app-context.ts'
import { AppContext } from '../app-context.ts'

/** Renders a view inside the app's services, as the dashboard does. */
export function renderWith(services: AppServices, view: () => JSX.Element): ReturnType<typeof render> {
  return render(() => <AppContext.Provider value={services}>{view()}</AppContext.Provider>)
}
