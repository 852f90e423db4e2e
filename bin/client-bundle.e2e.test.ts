import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { PROJECT_ROOT } from '../test/support/child-process.ts'

// The built CLI (`npm run build` first), with a module hook that prints every file it loads:
// client commands must run the bundle, not the ~150 modules of the domain, zod and commander.
const folder = mkdtempSync(join(tmpdir(), 'banzai-bundle-'))
const hook = join(folder, 'hook.mjs')
const register = join(folder, 'register.mjs')
writeFileSync(
  hook,
  "export async function load(url, context, next) { if (url.startsWith('file:')) process.stderr.write(`LOADED ${url}\\n`); return next(url, context) }\n",
)
writeFileSync(
  register,
  `import { register } from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hook).href)})\n`,
)
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** Runs `banzai ARGS` from the build; its exit code, stderr, and the files it loaded. */
function banzai(args: string[]): { code: number | null; err: string; loaded: string[] } {
  const run = spawnSync(process.execPath, ['--import', register, 'dist/bin/cli.js', ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  })
  const lines = run.stderr.split('\n')
  const loaded = lines.filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length))
  const err = lines.filter((l) => !l.startsWith('LOADED ')).join('\n')
  return { code: run.status, err, loaded }
}

describe('the client bundle', () => {
  test('validate runs the bundle: no module of the domain, zod or commander is loaded on its own', () => {
    const run = banzai(['validate', 'examples/three-speakers.json'])
    expect(run.code).toBe(0)
    expect(run.loaded.some((u) => u.endsWith('/dist/bin/client-program.js'))).toBe(true)
    expect(run.loaded.filter((u) => /\/dist\/core\/|node_modules\/(zod|commander|xstate)\//.test(u))).toEqual(
      [],
    )
  })

  test("an unreachable monitor still exits 3: the bundle's errors are its own domain's", () => {
    const run = banzai(['status', '--monitor', 'http://127.0.0.1:9'])
    expect(run.code).toBe(3)
    expect(run.err).toMatch(/unreachable \(connect ECONNREFUSED/)
    expect(run.loaded.some((u) => u.endsWith('/dist/bin/client-program.js'))).toBe(true)
  })

  test('store and server commands run the unbundled modules', () => {
    const run = banzai(['keygen', '--json'])
    expect(run.code).toBe(0)
    expect(run.loaded.some((u) => u.includes('/dist/bin/client-'))).toBe(false)
    expect(run.loaded.some((u) => u.endsWith('/dist/bin/program.js'))).toBe(true)
  })
})
