import { z } from 'zod'
import type { SettingRule } from './setting-list.ts'

function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`
  return z.coerce
    .number({ error: message })
    .refine((n) => Number.isFinite(n), message)
    .pipe(z.number().int(message).min(min, message).max(max, message))
}

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
)

/** The check of each setting rule, with messages that state the rule (the flag or variable is named by the caller). */
export const SETTING_RULES: Record<SettingRule, z.ZodType> = {
  port: wholeNumber(0, 65_535),
  positiveMs: wholeNumber(1, 86_400_000),
  workers: wholeNumber(0, 64),
  slots: wholeNumber(1, 256),
  shardSize: wholeNumber(1, 1_000_000),
  maxAttempts: wholeNumber(1, 100),
  nonEmpty: z.string().min(1, 'must not be empty'),
  text: z.string(),
  bind: z.string().regex(/^tcp:\/\/[^:]+$/, 'must be tcp://HOST'),
  lanes: list.pipe(
    z
      .array(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be lane names (a-z, 0-9, _ and -)'))
      .min(1, 'must name at least one lane'),
  ),
  url: z.string().url('must be a URL'),
  optionalUrl: z.union([z.literal(''), z.string().url()], { error: 'must be a URL or empty' }),
  curveSecret: z.union([z.literal(''), z.string().length(40)], {
    error: 'must be a 40-character z85 key (see `banzai keygen`)',
  }),
  folders: list,
  hosts: list,
  workerBind: z.string().regex(/^tcp:\/\/[^:]+:\d+$/, 'must look like tcp://HOST:PORT'),
  boolean: z.union(
    [z.boolean(), z.enum(['1', 'true', '0', 'false']).transform((v) => v === '1' || v === 'true')],
    {
      error: 'must be true or false (1 or 0)',
    },
  ),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent'], {
    error: 'must be one of debug, info, warn, error, silent',
  }),
  logFormat: z.enum(['auto', 'pretty', 'json'], { error: 'must be one of auto, pretty, json' }),
}
