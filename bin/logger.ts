import { Writable } from 'node:stream'
import { type Logger, pino } from 'pino'
import type { Settings } from './settings.ts'

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
}
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'v'])

/** One pino JSON record as a readable line: `12:00:01 warn  banzai-worker: message key=value`. */
export function formatLogLine(json: string): string {
  let record: unknown
  try {
    record = JSON.parse(json)
  } catch {
    return json
  }
  if (typeof record !== 'object' || record === null) return json
  const fields = Object.entries(record)
  const get = (key: string): unknown => fields.find(([k]) => k === key)?.[1]
  const text = (key: string, fallback: string): string => {
    const value = get(key)
    return typeof value === 'string' ? value : fallback
  }
  const time =
    typeof get('time') === 'number' ? new Date(Number(get('time'))).toISOString().slice(11, 19) : ''
  const level = LEVELS[Number(get('level'))] ?? String(get('level'))
  const extra = fields
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
  return `${time} ${level.padEnd(5)} ${text('name', 'banzai')}: ${text('msg', '')}${extra.length ? ` ${extra.join(' ')}` : ''}`
}

/**
 * A logger writing to stderr (stdout is for results and progress): readable lines on a
 * terminal or with `--log-format pretty`, JSON lines otherwise or with `--log-format json`.
 */
export function createLogger(settings: Pick<Settings, 'logLevel' | 'logFormat'>, name: string): Logger {
  const pretty =
    settings.logFormat === 'pretty' || (settings.logFormat === 'auto' && process.stderr.isTTY === true)
  if (!pretty) return pino({ level: settings.logLevel, name }, pino.destination(2))
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = chunk.toString().split('\n').filter(Boolean)
      process.stderr.write(lines.map(formatLogLine).join('\n') + '\n')
      done()
    },
  })
  return pino({ level: settings.logLevel, name }, stream)
}
