import { afterEach } from 'vitest'
import type { Child } from './child-process.ts'

/** What a test file spawns and must clean up after each test. */
export interface ProcessScope {
  /** Children to SIGKILL (and wait for) after each test. */
  children: Child[]
  /** Clean-ups (folders, servers) run after each test, last added first. */
  cleanups: (() => Promise<void> | void)[]
}

/** Registers an afterEach that kills the test's children, then runs its clean-ups in reverse order. */
export function useProcessScope(): ProcessScope {
  const scope: ProcessScope = { children: [], cleanups: [] }
  afterEach(async () => {
    for (const c of scope.children.splice(0)) {
      c.kill('SIGKILL')
      await c.exited
    }
    for (const cleanup of scope.cleanups.splice(0).reverse()) await cleanup()
  })
  return scope
}
