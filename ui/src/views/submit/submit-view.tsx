import { createMemo, createResource, createSignal, Show } from 'solid-js'
import { useServices } from '../../app-context.ts'
import { readCreatedId } from '../../api/created-id.ts'
import { ApiError, type FieldProblem } from '../../api/problem.ts'
import { z } from 'zod'
import { TaskInfo, TaskList } from '../../../../core/domain/index.ts'
import { ErrorBox } from '../../components/error-box.tsx'
import { navigate } from '../../router.ts'
import { CataloguePanel } from './catalogue-panel.tsx'
import { DocumentOutline, FieldErrors } from './document-outline.tsx'
import { placeErrors } from './field-errors.ts'
import { appendTask, EXAMPLE_DOCUMENT, readDraft } from './pipeline-document.ts'
import { settled } from '../../api/settled.ts'

/** `GET /api/tasks`, whether it answers a list or `{tasks: [...]}`. */
const CatalogueAnswer = z.union([z.array(TaskInfo), TaskList.transform((list) => list.tasks)])

/** The form to submit a pipeline: an editor, the catalogue at hand, and errors beside each field. */
export function SubmitView() {
  const { api } = useServices()
  const [text, setText] = createSignal(EXAMPLE_DOCUMENT)
  const [fieldErrors, setFieldErrors] = createSignal<FieldProblem[]>([])
  const [failure, setFailure] = createSignal<unknown>(null)
  const [busy, setBusy] = createSignal(false)
  // One key per edited text: a double click or a retried request does not submit twice.
  let idempotencyKey = crypto.randomUUID()
  const [catalogue] = createResource(async () => api.get('/tasks', CatalogueAnswer))
  const draft = createMemo(() => readDraft(text()))
  const placed = createMemo(() => placeErrors(fieldErrors()))

  const edit = (value: string): void => {
    setText(value)
    idempotencyKey = crypto.randomUUID()
  }

  async function submit(e: SubmitEvent): Promise<void> {
    e.preventDefault()
    setFieldErrors([])
    setFailure(null)
    if (!draft().ok) return
    setBusy(true)
    try {
      const response = await api.post('/pipelines', text(), { 'Idempotency-Key': idempotencyKey })
      const id = readCreatedId(response.body, response.headers)
      if (id) navigate({ view: 'pipeline', id })
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors.length > 0) setFieldErrors(error.problem.errors)
      else setFailure(error)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="view submit">
      <header class="view-header">
        <h1>New pipeline</h1>
      </header>
      <div class="submit-layout">
        <form class="editor" onSubmit={(e) => void submit(e)} aria-label="Pipeline document">
          <label for="document">Pipeline document (JSON)</label>
          <textarea
            id="document"
            name="document"
            spellcheck={false}
            rows={16}
            value={text()}
            onInput={(e) => edit(e.currentTarget.value)}
          />
          <Show when={!draft().ok && draft()} keyed>
            {(d) =>
              !d.ok && (
                <span class="field-error" role="alert">
                  {d.message}
                </span>
              )
            }
          </Show>
          <FieldErrors errors={placed().document} />
          <ErrorBox error={failure()} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy() || !draft().ok}>
              {busy() ? 'Submitting…' : 'Submit'}
            </button>
            <button type="button" onClick={() => edit(EXAMPLE_DOCUMENT)}>
              Reset to example
            </button>
          </div>
          <Show when={draft().ok && draft()} keyed>
            {(d) =>
              d.ok && (
                <DocumentOutline tasks={d.tasks} errors={placed()} catalogue={settled(catalogue) ?? []} />
              )
            }
          </Show>
        </form>
        <CataloguePanel
          tasks={settled(catalogue) ?? []}
          onAdd={(t) => edit(appendTask(text(), t.name, t.args.filter((a) => !a.optional && !a.rest).length))}
        />
      </div>
    </section>
  )
}
