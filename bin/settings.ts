import { ValidationError } from '../core/domain/index.ts'
import { SETTINGS } from './setting-list.ts'
import { SETTING_RULES } from './setting-rules.ts'

export { SETTINGS } from './setting-list.ts'

/** The parsed settings (keys of SETTINGS). */
export interface Settings {
  port: number
  host: string
  data: string
  /** null: one per core. */
  workers: number | null
  bind: string
  zmqPort: number
  lanes: string[]
  slots: number
  monitor: string
  leaseMs: number
  heartbeatMs: number
  shardSize: number
  maxAttempts: number
  ipfsApi: string
  curveSecret: string
  curveAllow: string
  curveAllowAny: boolean
  token: string
  readToken: string
  allowedRoots: string[]
  fetchHosts: string[]
  workerBind: string
  advertise: string
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  logFormat: 'auto' | 'pretty' | 'json'
}

/**
 * Resolves settings: flag, else BANZAI_* variable, else default; each value validated once,
 * with an error naming the flag or variable and the rule.
 */
export function resolveSettings(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const out: Record<string, unknown> = {}
  const errors: { path: string; message: string }[] = []
  for (const s of SETTINGS) {
    const fromFlag = flags[s.key]
    const raw = fromFlag !== undefined ? fromFlag : env[s.env]
    if (raw === undefined || raw === '') {
      out[s.key] = s.default
      continue
    }
    const parsed = SETTING_RULES[s.rule].safeParse(raw)
    if (parsed.success) out[s.key] = parsed.data
    else {
      const where = fromFlag !== undefined ? s.flag.split(' ')[0]! : s.env
      errors.push({
        path: where,
        message: `${where} ${parsed.error.issues[0]?.message ?? 'is invalid'}, got ${JSON.stringify(raw)}`,
      })
    }
  }
  if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join('; '), errors)
  return out as unknown as Settings
}

/** The settings table of the README, in Markdown. */
export function settingsTable(): string {
  const rows = SETTINGS.map(
    (s) =>
      `| \`${s.flag.split(' ')[0]}\` | \`${s.env}\` | ${JSON.stringify(s.default)} | ${s.doc} | ${s.commands.join(', ')} |`,
  )
  return ['| flag | variable | default | meaning | commands |', '|---|---|---|---|---|', ...rows].join('\n')
}
