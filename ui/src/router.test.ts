import { describe, expect, it } from 'vitest'
import { linkTo, parseRoute } from './router.ts'

describe('router', () => {
  it('parses every view and links back to it', () => {
    const hashes = [
      '#/',
      '#/pipelines/abc',
      '#/pipelines/abc/replay?at=12',
      '#/blobs/bafy',
      '#/workers',
      '#/submit',
    ]
    for (const hash of hashes) expect(linkTo(parseRoute(hash))).toBe(hash)
  })
  it('ignores a bad replay position and names unknown paths', () => {
    expect(parseRoute('#/pipelines/abc/replay?at=x')).toEqual({ view: 'replay', id: 'abc', at: null })
    expect(parseRoute('#/nope')).toEqual({ view: 'not-found', path: '/nope' })
  })
})
