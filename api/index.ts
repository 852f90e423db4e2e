export { createApi, DEFAULT_BODY_LIMIT } from './create-api.ts'
export { startApiServer, type ApiServer } from './server.ts'
export type { ApiAuth, ApiDeps, AppEnv } from './deps.ts'
