/** The id a create or retry answer names: the body's `id`, else the last part of `Location`. */
export function readCreatedId(body: unknown, headers: Headers): string | null {
  if (typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'string')
    return (body as { id: string }).id
  const location = headers.get('Location')
  return location ? (location.split('/').filter(Boolean).pop() ?? null) : null
}
