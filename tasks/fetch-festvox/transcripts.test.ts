import { describe, expect, it } from 'vitest'
import { parseTranscripts } from './transcripts.ts'

describe('parseTranscripts', () => {
  it('reads ( utt "text" ) lines, unescaping quotes', () => {
    const { texts, badLines } = parseTranscripts(
      '( arctic_a0001 "Author of the danger trail, Philip Steels, etc." )\r\n( arctic_a0002 "He said \\"no\\"." )\n\n',
    )
    expect(badLines).toBe(0)
    expect(texts.get('arctic_a0001')).toBe('Author of the danger trail, Philip Steels, etc.')
    expect(texts.get('arctic_a0002')).toBe('He said "no".')
  })

  it('counts lines it cannot read and keeps the rest', () => {
    const { texts, badLines } = parseTranscripts('garbage\n( a "ok" )\n( b unquoted )\n')
    expect([...texts.keys()]).toEqual(['a'])
    expect(badLines).toBe(2)
  })
})
