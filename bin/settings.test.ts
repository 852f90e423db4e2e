import { describe, expect, test } from 'vitest'
import { ValidationError } from '../core/domain/index.ts'
import { resolveSettings, SETTINGS, settingsTable } from './settings.ts'

describe('settings', () => {
  test('defaults, then variables, then flags', () => {
    expect(resolveSettings({}, {}).port).toBe(8080)
    expect(resolveSettings({}, { BANZAI_PORT: '9000' }).port).toBe(9000)
    expect(resolveSettings({ port: '9100' }, { BANZAI_PORT: '9000' }).port).toBe(9100)
    expect(resolveSettings({}, { BANZAI_LANES: 'default, gpu' }).lanes).toEqual(['default', 'gpu'])
    expect(resolveSettings({}, { BANZAI_ZMQ_PORT: '6000', BANZAI_BIND: 'tcp://0.0.0.0' })).toMatchObject({
      zmqPort: 6000,
      bind: 'tcp://0.0.0.0',
    })
  })

  test('a bad value names the flag or the variable and the rule', () => {
    expect(() => resolveSettings({ port: 'eighty' }, {})).toThrow(ValidationError)
    expect(() => resolveSettings({ port: 'eighty' }, {})).toThrow(/--port/)
    expect(() => resolveSettings({}, { BANZAI_LEASE_MS: '-5' })).toThrow(/BANZAI_LEASE_MS/)
    expect(() => resolveSettings({}, { BANZAI_LANES: 'GPU!' })).toThrow(/BANZAI_LANES/)
    expect(() => resolveSettings({}, { BANZAI_CURVE_SECRET: 'short' })).toThrow(/BANZAI_CURVE_SECRET/)
  })

  test('every setting has a BANZAI_ variable and a row in the README table', () => {
    const table = settingsTable()
    for (const s of SETTINGS) {
      expect(s.env).toMatch(/^BANZAI_[A-Z_]+$/)
      expect(table).toContain(s.env)
    }
    expect(SETTINGS.map((s) => s.env)).toEqual(
      expect.arrayContaining([
        'BANZAI_BIND',
        'BANZAI_ZMQ_PORT',
        'BANZAI_LANES',
        'BANZAI_IPFS_API',
        'BANZAI_CURVE_SECRET',
        'BANZAI_CURVE_ALLOW',
        'BANZAI_TOKEN',
        'BANZAI_READ_TOKEN',
      ]),
    )
  })
})
