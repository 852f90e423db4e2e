import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeNpy, encodeNpy } from './index.ts'

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const numpy = hasNumpy()
if (!numpy)
  console.log('npy.int.test: python3 with numpy not found; skipping the NumPy interoperability checks')

describe.skipIf(!numpy)('.npy files and NumPy', () => {
  const dirs: string[] = []
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))))
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'banzai-npy-'))
    dirs.push(dir)
    return dir
  }

  it('numpy.load reads what encodeNpy writes', async () => {
    const file = join(await tempDir(), 'a.npy')
    const data = Float32Array.from({ length: 3 * 24 }, (_, i) => Math.sin(i) * 100)
    await writeFile(file, encodeNpy(data, [3, 24]))
    const script =
      'import sys, json, numpy as np; a = np.load(sys.argv[1]); print(json.dumps([str(a.dtype), list(a.shape), a.flatten().tolist()]))'
    const [dtype, shape, values] = JSON.parse(
      execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }),
    ) as [string, number[], number[]]
    expect(dtype).toBe('float32')
    expect(shape).toEqual([3, 24])
    expect(values).toEqual([...data])
  })

  it('decodeNpy reads what numpy.save writes', async () => {
    const file = join(await tempDir(), 'b.npy')
    execFileSync('python3', [
      '-c',
      'import sys, numpy as np; np.save(sys.argv[1], np.arange(10, dtype="<f4").reshape(2, 5) / 4)',
      file,
    ])
    const { data, shape } = decodeNpy(await readFile(file))
    expect(shape).toEqual([2, 5])
    expect([...data]).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25])
  })
})
