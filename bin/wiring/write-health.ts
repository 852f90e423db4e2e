/** Whether the monitor's last commit went through, for `GET /healthz` (SPEC §5). */
export interface WriteHealth {
  /** Called with the error of a commit that failed (and was rolled back). */
  failed(error: unknown): void
  /** Called when a commit went through. */
  succeeded(): void
  /** Why writes fail now (the last commit's error), or null while they work. */
  failure(): string | null
}

/** Tracks the outcome of the monitor's latest commit: a failure lasts until a commit succeeds. */
export function createWriteHealth(): WriteHealth {
  let reason: string | null = null
  return {
    failed(error) {
      const code = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : ''
      reason = `${error instanceof Error ? error.message : String(error)}${code}`
    },
    succeeded() {
      reason = null
    },
    failure: () => reason,
  }
}
