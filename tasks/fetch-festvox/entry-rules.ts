/** What an archive entry is to FETCH_FESTVOX, decided from its name and kind alone. */
export type EntryRole =
  | { role: 'wav'; speakerDir: string; speaker: string; utterance: string }
  | { role: 'transcript'; speakerDir: string }
  | { role: 'ignored' }
  | { role: 'skipped'; reason: string }

/** The facts about an entry the rules look at. */
export interface EntryFacts {
  /** The name as stored (backslashes kept, so a hostile name is reported as it is). */
  name: string
  isSymlink: boolean
}

/** `cmu_us_<spk>_arctic` (other Festvox language codes accepted too); group 1 is the speaker. */
const SPEAKER_DIR = /^cmu_[a-z]+_([a-z0-9]+(?:-[a-z0-9]+)*)_arctic$/i
const UTTERANCE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/

/** Reads the speaker out of a `cmu_us_<spk>_arctic` folder name, or null. */
export function speakerOf(folder: string): string | null {
  return SPEAKER_DIR.exec(folder)?.[1] ?? null
}

function findHostility(facts: EntryFacts): string | null {
  const { name } = facts
  if (name.includes('\0')) return 'file name contains a NUL byte'
  if (/^[/\\]/.test(name) || /^[a-zA-Z]:/.test(name)) return 'absolute path'
  if (name.split(/[/\\]/).includes('..')) return 'path escapes the archive (zip-slip)'
  if (facts.isSymlink) return 'symbolic link'
  return null
}

/**
 * Decides what to do with an entry: hostile names and symlinks are skipped with a reason
 * wherever they are; `<spkdir>/wav/*.wav` are utterances; `<spkdir>/etc/txt.done.data` is the
 * transcript; anything else under a `wav/` folder is skipped with a reason; the rest (README,
 * COPYING, lab/, orig/, …) is ignored silently.
 */
export function classifyEntry(facts: EntryFacts): EntryRole {
  const hostility = findHostility(facts)
  if (hostility !== null) return { role: 'skipped', reason: hostility }
  if (facts.name.endsWith('/') || facts.name.endsWith('\\')) return { role: 'ignored' }
  // `.` and empty segments change nothing about where a name points.
  const segments = facts.name.split(/[/\\]/).filter((s) => s !== '' && s !== '.')
  const n = segments.length
  const base = segments[n - 1] ?? ''
  const folder = segments[n - 2]
  const parent = segments[n - 3]
  const speakerIndex = segments.findIndex((s, i) => speakerOf(s) !== null && segments[i + 1] === 'wav')
  if (speakerIndex >= 0 && speakerIndex + 3 < n)
    return { role: 'skipped', reason: 'nested folder under wav/' }
  if (folder === 'wav' && parent !== undefined && speakerIndex === n - 3) {
    const speaker = speakerOf(parent) ?? ''
    if (!/\.wav$/i.test(base)) return { role: 'skipped', reason: 'not a .wav file (in a wav/ folder)' }
    const utterance = base.slice(0, -4)
    if (!UTTERANCE.test(utterance)) return { role: 'skipped', reason: 'unexpected utterance name' }
    return { role: 'wav', speakerDir: parent, speaker, utterance }
  }
  if (folder === 'wav' && /\.wav$/i.test(base)) {
    return { role: 'skipped', reason: 'WAV outside a cmu_us_<spk>_arctic/wav/ folder: no speaker' }
  }
  if (base === 'txt.done.data' && folder === 'etc' && parent !== undefined && speakerOf(parent) !== null) {
    return { role: 'transcript', speakerDir: parent }
  }
  return { role: 'ignored' }
}

/** Whether a zip entry's external attributes mark a Unix symbolic link. */
export function isSymlinkEntry(versionMadeBy: number, externalFileAttributes: number): boolean {
  const host = versionMadeBy >>> 8
  // 3 = Unix, 19 = OS X: the high 16 bits of the attributes are st_mode.
  if (host !== 3 && host !== 19) return false
  return ((externalFileAttributes >>> 16) & 0o170000) === 0o120000
}
