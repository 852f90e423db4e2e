import { describe, expect, it } from 'vitest'
import { waitOrTimeOut } from './wait-or-time-out.ts'

describe('waitOrTimeOut', () => {
  it('ends with the promise when it settles first, fulfilled or rejected', async () => {
    expect(await waitOrTimeOut(Promise.resolve(1), 60_000)).toBe('settled')
    expect(await waitOrTimeOut(Promise.reject(new Error('no')), 60_000)).toBe('settled')
  })

  it('ends with the timeout when the promise never settles', async () => {
    expect(await waitOrTimeOut(new Promise(() => {}), 5)).toBe('timed out')
  })
})
