import { existsSync, readFileSync } from 'node:fs'
import { z } from 'zod'

// The parts of V8's `.cpuprofile` (what `node --cpu-prof` writes) that the summary reads.
const CallFrame = z.object({
  functionName: z.string(),
  url: z.string(),
  lineNumber: z.number(),
  columnNumber: z.number(),
})
const ProfileNode = z.object({
  id: z.number(),
  callFrame: CallFrame,
  children: z.array(z.number()).optional(),
})
const CpuProfile = z.object({
  nodes: z.array(ProfileNode),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
})
type CpuProfile = z.infer<typeof CpuProfile>

/** One function's share of the sampled time: `self` on top of the stack, `total` anywhere on it. */
export interface FunctionTime {
  name: string
  file: string
  selfMs: number
  totalMs: number
}

/** What a profile holds between two instants: sampled time by function and by file. */
export interface ProfileSummary {
  sampledMs: number
  idleMs: number
  functions: FunctionTime[]
  files: { file: string; selfMs: number }[]
}

/** Reads a `.cpuprofile` file, parsed by its schema. */
export function readCpuProfile(path: string): CpuProfile {
  return CpuProfile.parse(JSON.parse(readFileSync(path, 'utf8')))
}

/** A profile URL as a path relative to the project or to node_modules (`node:` internals kept). */
function fileOf(url: string, projectUrl: string): string {
  if (url === '') return '(native)'
  const pkg = url.indexOf('/node_modules/')
  if (pkg >= 0) return url.slice(pkg + 1)
  return url.startsWith(projectUrl) ? url.slice(projectUrl.length) : url
}

const sourceLines = new Map<string, string[]>()

/**
 * The line of a function in a project file. tsx hands V8 each module compiled onto one line, so
 * the profile's line says little there: the function's declaration is looked up by name instead.
 */
function lineOf(frame: z.infer<typeof CallFrame>, file: string, projectUrl: string): string {
  if (!frame.url.startsWith(projectUrl) || file.startsWith('node_modules/'))
    return String(frame.lineNumber + 1)
  if (frame.functionName === '') return '?'
  let lines = sourceLines.get(file)
  if (!lines) {
    lines = existsSync(new URL(frame.url)) ? readFileSync(new URL(frame.url), 'utf8').split('\n') : []
    sourceLines.set(file, lines)
  }
  const name = frame.functionName.split('.').at(-1) ?? ''
  const escaped = name.replace(/[$]/g, '\\$')
  const declarations = [
    `function\\*?\\s+${escaped}\\b`,
    `\\b${escaped}\\s*=\\s*(async\\s*)?(\\(|function|[A-Za-z_$][\\w$]*\\s*=>)`,
    `^\\s*(async\\s+|static\\s+|private\\s+|readonly\\s+)*${escaped}\\s*[(<]`,
    `\\b${escaped}\\s*:\\s*(async\\s*)?\\(`,
  ].map((source) => new RegExp(source))
  const isCode = (l: string): boolean => !/^\s*(\/\/|\/?\*)/.test(l)
  const found = declarations.map((d) => lines.findIndex((l) => isCode(l) && d.test(l))).find((i) => i >= 0)
  const at = found ?? -1
  return at >= 0 ? String(at + 1) : '?'
}

/**
 * Sums a profile's samples taken within `windows` (µs on the profile's clock) by function and by
 * file. A sample counts for the time until the next one; a function recursing counts once in total.
 */
export function summarizeProfile(
  profile: CpuProfile,
  windows: { start: number; end: number }[],
  projectUrl: string,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const keys = new Map<number, string>()
  const keyOf = (id: number): string => {
    const known = keys.get(id)
    if (known !== undefined) return known
    const f = byId.get(id)!.callFrame
    const file = fileOf(f.url, projectUrl)
    const key = `${f.functionName || '(anonymous)'}\t${file}:${lineOf(f, file, projectUrl)}`
    keys.set(id, key)
    return key
  }
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  const files = new Map<string, number>()
  let sampledUs = 0
  let idleUs = 0
  let t = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0
    if (!windows.some((w) => t >= w.start && t <= w.end)) continue
    const weight = profile.timeDeltas[i + 1] ?? 0
    const id = profile.samples[i]!
    const top = byId.get(id)!.callFrame
    sampledUs += weight
    if (top.functionName === '(idle)') {
      idleUs += weight
      continue
    }
    self.set(keyOf(id), (self.get(keyOf(id)) ?? 0) + weight)
    const file = fileOf(top.url, projectUrl)
    files.set(file, (files.get(file) ?? 0) + weight)
    const onStack = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) onStack.add(keyOf(at))
    for (const key of onStack) total.set(key, (total.get(key) ?? 0) + weight)
  }
  const ms = (us: number): number => Number((us / 1000).toFixed(1))
  const functions = [...total.entries()].map(([key, totalUs]) => {
    const [name = '', file = ''] = key.split('\t')
    return { name, file, selfMs: ms(self.get(key) ?? 0), totalMs: ms(totalUs) }
  })
  return {
    sampledMs: ms(sampledUs),
    idleMs: ms(idleUs),
    functions,
    files: [...files.entries()].map(([file, us]) => ({ file, selfMs: ms(us) })),
  }
}
