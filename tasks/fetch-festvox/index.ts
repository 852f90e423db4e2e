export { createFetchFestvox, fetchFestvox } from './fetch-festvox.ts'
export {
  DEFAULT_LIMITS,
  type DownloadLimits,
  type ExtractLimits,
  type FetchFestvoxLimits,
  type LimitOverrides,
} from './limits.ts'
export { USER_AGENT } from './http-download.ts'
