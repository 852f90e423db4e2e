import { describe, expect, it } from 'vitest'
import { classifyEntry, isSymlinkEntry, speakerOf } from './entry-rules.ts'

const plain = (name: string) => classifyEntry({ name, isSymlink: false })

describe('classifyEntry', () => {
  it('takes cmu_us_<spk>_arctic/wav/*.wav as utterances, the speaker from the folder', () => {
    expect(plain('cmu_us_awb_arctic/wav/arctic_a0001.wav')).toEqual({
      role: 'wav',
      speakerDir: 'cmu_us_awb_arctic',
      speaker: 'awb',
      utterance: 'arctic_a0001',
    })
    expect(plain('release/cmu_us_slt_arctic/wav/arctic_b0539.WAV')).toMatchObject({
      role: 'wav',
      speaker: 'slt',
      utterance: 'arctic_b0539',
    })
  })

  it('finds the transcript', () => {
    expect(plain('cmu_us_awb_arctic/etc/txt.done.data')).toEqual({
      role: 'transcript',
      speakerDir: 'cmu_us_awb_arctic',
    })
  })

  it('ignores README, COPYING, folders and other parts of a release silently', () => {
    for (const name of [
      'cmu_us_awb_arctic/README',
      'cmu_us_awb_arctic/COPYING',
      'cmu_us_awb_arctic/wav/',
      'cmu_us_awb_arctic/orig/arctic_a0001.wav',
      'cmu_us_awb_arctic/lab/arctic_a0001.lab',
      'README',
    ]) {
      expect(plain(name)).toEqual({ role: 'ignored' })
    }
  })

  it('skips hostile names with their reason, wherever they are', () => {
    expect(plain('../x.wav')).toEqual({ role: 'skipped', reason: 'path escapes the archive (zip-slip)' })
    expect(plain('cmu_us_awb_arctic/wav/../../../etc/x.wav')).toEqual({
      role: 'skipped',
      reason: 'path escapes the archive (zip-slip)',
    })
    expect(plain('cmu_us_awb_arctic\\wav\\..\\..\\x.wav')).toEqual({
      role: 'skipped',
      reason: 'path escapes the archive (zip-slip)',
    })
    expect(plain('/etc/passwd')).toEqual({ role: 'skipped', reason: 'absolute path' })
    expect(plain('C:/windows/x.wav')).toEqual({ role: 'skipped', reason: 'absolute path' })
    expect(classifyEntry({ name: 'cmu_us_awb_arctic/wav/a.wav', isSymlink: true })).toEqual({
      role: 'skipped',
      reason: 'symbolic link',
    })
  })

  it('skips surprises inside a wav/ folder with a reason', () => {
    expect(plain('cmu_us_awb_arctic/wav/notes.txt')).toEqual({
      role: 'skipped',
      reason: 'not a .wav file (in a wav/ folder)',
    })
    expect(plain('cmu_us_awb_arctic/wav/sub/a.wav')).toEqual({
      role: 'skipped',
      reason: 'nested folder under wav/',
    })
    expect(plain('wav/a.wav')).toMatchObject({
      role: 'skipped',
      reason: expect.stringContaining('no speaker'),
    })
    expect(plain('cmu_us_awb_arctic/wav/bad name!.wav')).toEqual({
      role: 'skipped',
      reason: 'unexpected utterance name',
    })
  })
})

describe('speakerOf', () => {
  it('reads the speaker between cmu_<lang>_ and _arctic', () => {
    expect(speakerOf('cmu_us_awb_arctic')).toBe('awb')
    expect(speakerOf('cmu_us_arctic')).toBeNull()
    expect(speakerOf('awb')).toBeNull()
  })
})

describe('isSymlinkEntry', () => {
  it('reads S_IFLNK from the high bits for Unix-made entries only', () => {
    expect(isSymlinkEntry(0x031e, 0o120777 << 16)).toBe(true)
    expect(isSymlinkEntry(0x031e, 0o100644 << 16)).toBe(false)
    expect(isSymlinkEntry(0x0014, 0o120777 << 16)).toBe(false)
  })
})
