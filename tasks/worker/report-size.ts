import { MAX_MESSAGE_BYTES, MAX_REFS, type WorkerMessage } from '../../core/domain/index.ts'

/**
 * Why a report cannot be sent (SPEC §10: over 1 MiB encoded, or more than MAX_REFS refs), or
 * null when it can. Measured as the codec encodes it: UTF-8 JSON.
 */
export function unsendableReason(report: WorkerMessage): string | null {
  if (report.type === 'OrderSucceeded' && report.refs.length > MAX_REFS)
    return `the task's report lists ${report.refs.length} refs, more than the ${MAX_REFS} a report may carry (a document's own references are read from it, not listed)`
  const bytes = Buffer.byteLength(JSON.stringify(report), 'utf8')
  if (bytes > MAX_MESSAGE_BYTES)
    return `the task's report is ${bytes} bytes encoded, over the ${MAX_MESSAGE_BYTES}-byte message limit`
  return null
}
