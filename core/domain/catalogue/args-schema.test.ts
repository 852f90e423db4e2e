import { describe, expect, it } from 'vitest'
import { argsSchema, catalogue, checkArgs, declarations, isTaskName } from './index.ts'

const messages = (decl: Parameters<typeof argsSchema>[0], args: unknown[]) =>
  argsSchema(decl)
    .safeParse(args)
    .error?.issues.map((issue) => issue.message)

describe('argsSchema', () => {
  it('passes arguments that fit through unchanged, as the typed tuple', () => {
    const mfcc = argsSchema(declarations.EXTRACT_MFCC).parse([32, 24, 1, 8000, 16000, { nfft: 512 }])
    expect(mfcc).toEqual([32, 24, 1, 8000, 16000, { nfft: 512 }])
    expect(argsSchema(declarations.FETCH_FESTVOX).parse(['file:///a.zip', 'file:///b.zip'])).toHaveLength(2)
    expect(argsSchema(declarations.ECHO_ITEMS).parse([])).toEqual([])
  })

  it("rejects with exactly the submission's messages, under the task's name", () => {
    const bad: [keyof typeof declarations, unknown[]][] = [
      ['EXTRACT_MFCC', ['32', 24, 1, 8000, 16000]],
      ['EXTRACT_MFCC', [32, 40, 1, 8000, 16000]],
      ['FETCH_FESTVOX', []],
      ['FAIL', ['x', 'yes']],
      ['LEARN', [{ epochs: 0, dropout: 1 }]],
    ]
    for (const [name, args] of bad) {
      const decl = declarations[name]
      const expected = checkArgs(decl, args, name).map((e) => e.message)
      expect(expected.length).toBeGreaterThan(0)
      expect(messages(decl, args)).toEqual(expected)
    }
    expect(messages(declarations.EXTRACT_MFCC, ['32', 24, 1, 8000, 16000])).toEqual([
      'EXTRACT_MFCC.args[0] (nfilt) must be an integer between 1 and 128, got "32"',
    ])
  })

  it('names every catalogue task, and nothing else', () => {
    for (const name of catalogue.keys()) expect(isTaskName(name)).toBe(true)
    expect(isTaskName('toString')).toBe(false)
    expect(isTaskName('NOPE')).toBe(false)
  })
})
