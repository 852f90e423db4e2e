import { expect } from 'vitest'

/** What `demo` and `run --follow` may print on stdout: progress, per-step results and the outcome. */
const PROGRESS_OR_OUTCOME = [
  /^dashboard: http:\/\/\S+$/,
  /^submitted \S+$/,
  /^\S+ +\d+ [A-Z_]+ +(pending|queued|running|succeeded|failed|cancelled)\b/,
  /^ +\d+ [A-Z_]+ +(pending|queued|running|succeeded|failed|cancelled)\b/,
  /^\S+ (succeeded|failed|cancelled)( output \S+)?(: .*)?$/,
  /^ {2}last log lines of step \d+ [A-Z_]+:$/,
  /^ {4}(debug|info|warn|error) /,
  /^to browse this run later: /,
]

/** Every stdout line is progress or outcome (no log record, no request line). */
export function expectOnlyProgress(out: string): void {
  for (const line of out.split('\n').filter(Boolean))
    expect(
      PROGRESS_OR_OUTCOME.some((p) => p.test(line)),
      `unexpected stdout line: ${line}`,
    ).toBe(true)
}
