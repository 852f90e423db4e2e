export { createEmbeddedStore } from './embedded-store.ts'
export type { EmbeddedStoreOptions } from './embedded-store.ts'
