/** Utterance → text, read from a Festival `txt.done.data` file. */
export interface Transcripts {
  texts: Map<string, string>
  /** Non-blank lines that are not `( utt "text" )`. */
  badLines: number
}

const LINE = /^\(\s*(\S+)\s+"((?:[^"\\]|\\.)*)"\s*\)$/

/** Parses `( arctic_a0001 "text" )` lines; `\"` and `\\` inside the text are unescaped. */
export function parseTranscripts(source: string): Transcripts {
  const texts = new Map<string, string>()
  let badLines = 0
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '') continue
    const match = LINE.exec(line)
    if (match === null) {
      badLines++
      continue
    }
    const [, utterance = '', text = ''] = match
    texts.set(utterance, text.replace(/\\(.)/g, '$1'))
  }
  return { texts, badLines }
}
