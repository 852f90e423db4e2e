import type { PipelineSummary } from '../../core/domain/index.ts'

/** Every list row of `GET /api/pipelines`, page by page (1,000 a page), following `next`. */
export async function listAllPipelines(url: string, query = ''): Promise<PipelineSummary[]> {
  const rows: PipelineSummary[] = []
  let after: string | null = null
  do {
    const response = await fetch(`${url}/api/pipelines?limit=1000${query}${after ? `&after=${after}` : ''}`)
    if (response.status !== 200) throw new Error(`GET /api/pipelines answered ${response.status}`)
    const page = (await response.json()) as { items: PipelineSummary[]; next: string | null }
    rows.push(...page.items)
    after = page.next
  } while (after)
  return rows
}

/** The value of one Prometheus sample (first line with this name and no labels), or null. */
export function readMetric(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return line ? Number(line.slice(name.length + 1)) : null
}
