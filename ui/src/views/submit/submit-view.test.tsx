// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { createFakeServices } from '../../testing/fake-services.ts'
import { renderWith } from '../../testing/render-with.tsx'
import { SubmitView } from './submit-view.tsx'

afterEach(cleanup)

const catalogue = {
  tasks: [
    {
      name: 'SLEEP',
      version: 1,
      lane: 'default',
      doc: 'Waits.',
      perItem: false,
      external: false,
      accepts: ['none', 'dataset', 'model'],
      produces: 'input',
      timeoutMs: 60000,
      args: [{ name: 'ms', doc: 'milliseconds', optional: false, rest: false, schema: {} }],
    },
    {
      name: 'NOOP',
      version: 1,
      lane: 'default',
      doc: 'Passes its input.',
      perItem: false,
      external: false,
      accepts: ['none', 'dataset', 'model'],
      produces: 'input',
      timeoutMs: 60000,
      args: [],
    },
  ],
}

describe('SubmitView', () => {
  it('shows each validation error beside its field', async () => {
    const problem = {
      type: 'about:blank',
      title: 'Invalid pipeline',
      status: 400,
      detail: '1 error',
      errors: [{ path: 'tasks[0].args[0]', message: 'tasks[0].args[0] (ms) must be a number ≥ 0, got "5s"' }],
    }
    const fake = createFakeServices({
      '/tasks': catalogue,
      'POST /pipelines': () =>
        new Response(JSON.stringify(problem), {
          status: 400,
          headers: { 'Content-Type': 'application/problem+json' },
        }),
    })
    renderWith(fake.services, () => <SubmitView />)
    expect(await screen.findByText('Waits.')).toBeTruthy()
    fireEvent.input(screen.getByLabelText('Pipeline document (JSON)'), {
      target: { value: '[{"call":"SLEEP","args":["5s"]},{"call":"NOOP"}]' },
    })
    fireEvent.click(screen.getByText('Submit'))
    const error = await screen.findByText(/must be a number ≥ 0/)
    expect(error.closest('[data-arg]')?.getAttribute('data-arg')).toBe('0.0')
    expect(error.closest('[data-arg]')?.textContent).toContain('ms')
  })

  it('says when the text is not JSON, and submits a good one with an idempotency key', async () => {
    let key: string | null = null
    const fake = createFakeServices({
      '/tasks': catalogue,
      'POST /pipelines': () =>
        new Response(JSON.stringify({ id: 'p9' }), {
          status: 201,
          headers: { Location: '/api/pipelines/p9' },
        }),
    })
    const original = fake.services.api.post.bind(fake.services.api)
    fake.services.api.post = (path, body, headers) => {
      key = headers?.['Idempotency-Key'] ?? null
      return original(path, body, headers)
    }
    renderWith(fake.services, () => <SubmitView />)
    const editor = screen.getByLabelText('Pipeline document (JSON)')
    fireEvent.input(editor, { target: { value: '[{"call":' } })
    expect(await screen.findByText(/Not valid JSON/)).toBeTruthy()
    fireEvent.input(editor, { target: { value: '[{"call":"NOOP"}]' } })
    fireEvent.click(screen.getByText('Submit'))
    await waitFor(() => expect(window.location.hash).toBe('#/pipelines/p9'))
    expect(key).toMatch(/^[0-9a-f-]{36}$/)
  })
})
