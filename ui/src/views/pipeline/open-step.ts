/** Opens a step from the graph: marks it selected and brings its card into view (and focus). */
export function openStep(step: number, select: (step: number) => void): void {
  select(step)
  const card = document.querySelector<HTMLElement>(`.task-card[data-step="${step}"]`)
  card?.scrollIntoView?.({ block: 'nearest' })
  card?.focus({ preventScroll: true })
}
