import { createHash } from 'node:crypto'
import type { MemoParts } from '../domain/index.ts'

/** JSON with object keys sorted, so equal values always serialise the same way. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export type { MemoParts }

/** hash(call, version, canonical args, input CID): the memo key of a step (SPEC §1, §5). */
export function stepMemoKey(parts: MemoParts): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex')
}

/** The memo key of one item of a perItem step: the same parts, with the item's audio CID as input. */
export function itemMemoKey(call: string, version: number, args: unknown[], itemCid: string): string {
  return createHash('sha256')
    .update(canonicalJson({ call, version, args, item: itemCid }))
    .digest('hex')
}
