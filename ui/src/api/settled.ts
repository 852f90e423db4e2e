import type { Resource } from 'solid-js'

/**
 * A resource's value, or undefined while it loads or after it failed. Reading a failed Solid
 * resource throws; views show `resource.error` instead.
 */
export function settled<T>(resource: Resource<T>): T | undefined {
  if (resource.error !== undefined && resource.error !== null) return undefined
  return resource.state === 'ready' || resource.state === 'refreshing' ? resource.latest : undefined
}
