/** Deepest nesting of arrays and objects accepted in a request document (the domain's checks recurse). */
export const MAX_JSON_DEPTH = 32

/**
 * The nesting depth of a parsed JSON value (a scalar is 0, `[]` is 1), measured without
 * recursion and giving up past `limit`, so a document of 500,000 nested arrays costs nothing.
 */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (typeof current !== 'object' || current === null) continue
    const here = depth + 1
    if (here > deepest) deepest = here
    if (deepest > limit) return deepest
    const children = Array.isArray(current) ? (current as unknown[]) : Object.values(current)
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, here])
  }
  return deepest
}
