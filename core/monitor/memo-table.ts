import { z } from 'zod'
import { Cid, ItemResult, MemoParts } from '../domain/index.ts'
import { parseJsonColumn } from './sqlite/json-column.ts'
import type { Db } from './sqlite/open-database.ts'

const Refs = z.array(Cid)

/** A memoized step result. */
export interface MemoEntry {
  key: string
  parts: MemoParts
  output: Cid
  refs: Cid[]
  pipelineId: string
  step: number
  at: string
}

/** A memoized per-item result: the fields a perItem task added to one item. */
export interface ItemMemoEntry {
  result: ItemResult
  refs: Cid[]
}

interface MemoRow {
  key: string
  parts: string
  output: string
  refs: string
  pipeline_id: string
  step: number
  at: string
}

function toEntry(row: MemoRow): MemoEntry {
  return {
    key: row.key,
    parts: parseJsonColumn(MemoParts, row.parts, `memo.parts of ${row.key}`),
    output: Cid.parse(row.output),
    refs: parseJsonColumn(Refs, row.refs, `memo.refs of ${row.key}`),
    pipelineId: row.pipeline_id,
    step: row.step,
    at: row.at,
  }
}

/** The memo tables: step results by memo key, item results by item key. */
export class MemoTable {
  private readonly getStmt
  private readonly putStmt
  private readonly latestOfCall
  private readonly getItem
  private readonly getItems
  private readonly putItem

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string], MemoRow>('SELECT * FROM memo WHERE key = ?')
    this.putStmt = db.prepare(
      'INSERT OR REPLACE INTO memo (key, call, parts, output, refs, pipeline_id, step, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    this.latestOfCall = db.prepare<[string, string, number], MemoRow>(
      'SELECT * FROM memo WHERE call = ? AND at <= ? ORDER BY at DESC LIMIT ?',
    )
    this.getItem = db.prepare<[string], { result: string; refs: string }>(
      'SELECT result, refs FROM item_memo WHERE key = ?',
    )
    this.getItems = db.prepare<[string], { key: string; result: string; refs: string }>(
      'SELECT key, result, refs FROM item_memo WHERE key IN (SELECT value FROM json_each(?))',
    )
    this.putItem = db.prepare(
      'INSERT OR REPLACE INTO item_memo (key, call, result, refs, at) VALUES (?, ?, ?, ?, ?)',
    )
  }

  /** The memoized result of a step key, or null. */
  get(key: string): MemoEntry | null {
    const row = this.getStmt.get(key)
    return row ? toEntry(row) : null
  }

  /** Records a step result; call inside the tick's transaction. */
  put(entry: MemoEntry): void {
    this.putStmt.run(
      entry.key,
      entry.parts.call,
      JSON.stringify(entry.parts),
      entry.output,
      JSON.stringify(entry.refs),
      entry.pipelineId,
      entry.step,
      entry.at,
    )
  }

  /** Forgets a memo entry (e.g. its output is no longer readable). */
  forget(key: string): void {
    this.db.prepare('DELETE FROM memo WHERE key = ?').run(key)
  }

  /** Recent results of the same call, newest first, for explaining a miss. */
  recentOfCall(call: string, before: string, limit = 20): MemoEntry[] {
    return this.latestOfCall.all(call, before, limit).map(toEntry)
  }

  /** A memoized item result, or null. */
  getItemResult(key: string): ItemMemoEntry | null {
    const row = this.getItem.get(key)
    if (!row) return null
    return {
      result: parseJsonColumn(ItemResult, row.result, `item_memo.result of ${key}`),
      refs: parseJsonColumn(Refs, row.refs, `item_memo.refs of ${key}`),
    }
  }

  /** The memoized results of many item keys, in one query; keys without a result are absent. */
  getItemResults(keys: readonly string[]): Map<string, ItemMemoEntry> {
    const out = new Map<string, ItemMemoEntry>()
    if (keys.length === 0) return out
    const rows = this.getItems.all(JSON.stringify(keys))
    for (const row of rows)
      out.set(row.key, {
        result: parseJsonColumn(ItemResult, row.result, `item_memo.result of ${row.key}`),
        refs: parseJsonColumn(Refs, row.refs, `item_memo.refs of ${row.key}`),
      })
    return out
  }

  /** Records an item result; call inside the tick's transaction. */
  putItemResult(key: string, call: string, entry: ItemMemoEntry, at: string): void {
    this.putItem.run(key, call, JSON.stringify(entry.result), JSON.stringify(entry.refs), at)
  }

  /** Forgets memo entries, of one task or of all; returns how many step and item entries went. */
  clear(call?: string): { steps: number; items: number } {
    const where = call ? 'WHERE call = ?' : ''
    const args = call ? [call] : []
    const steps = this.db.prepare(`DELETE FROM memo ${where}`).run(...args).changes
    const items = this.db.prepare(`DELETE FROM item_memo ${where}`).run(...args).changes
    return { steps, items }
  }

  /** Every CID a memo entry points to (kept by garbage collection while the entry exists). */
  allReferencedCids(): Set<string> {
    const out = new Set<string>()
    for (const row of this.db
      .prepare<[], { output: string; refs: string }>('SELECT output, refs FROM memo')
      .iterate()) {
      out.add(row.output)
      for (const r of parseJsonColumn(Refs, row.refs, `memo.refs of ${row.output}`)) out.add(r)
    }
    for (const row of this.db.prepare<[], { refs: string }>('SELECT refs FROM item_memo').iterate()) {
      for (const r of parseJsonColumn(Refs, row.refs, 'item_memo.refs')) out.add(r)
    }
    return out
  }
}
