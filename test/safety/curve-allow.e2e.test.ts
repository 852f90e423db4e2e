import { rmSync } from 'node:fs'
import { afterEach, describe, expect, test } from 'vitest'
import { generateCurveKeyPair } from '../../transport/zmq/index.ts'
import { freePorts, startMonitorProcess, tempDataDir } from '../support/banzai-processes.ts'
import { type Child, spawnTs } from '../support/child-process.ts'

const children: Child[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.kill('SIGKILL')
    await c.exited
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('CURVE without an allow-list (SPEC §6)', () => {
  test('refuses to start and says why; --curve-allow-any starts it', async () => {
    const data = tempDataDir()
    dirs.push(data)
    const { secretKey } = generateCurveKeyPair()
    const zmqPort = await freePorts(3)
    const port = await freePorts(1)
    const args = ['monitor', '--data', data, '--port', String(port), '--zmq-port', String(zmqPort)]
    const refused = spawnTs('bin/banzai.js', [...args, '--curve-secret', secretKey])
    children.push(refused)
    expect(await refused.exited).toBe(2)
    expect(refused.stderr()).toContain('without an allow-list')
    expect(refused.stderr()).toContain('--curve-allow-any')

    const allowed = await startMonitorProcess({
      data,
      port,
      zmqPort,
      env: { BANZAI_CURVE_SECRET: secretKey, BANZAI_CURVE_ALLOW_ANY: 'true' },
    })
    children.push(allowed.child)
    const transport = await allowed.api.call<{ curveServerKey: string | null }>('GET', '/transport')
    expect(transport.curveServerKey).toHaveLength(40)
  })
})
