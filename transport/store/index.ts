export { createEmbeddedStore } from './embedded/index.ts'
export type { EmbeddedStoreOptions } from './embedded/index.ts'
export { createIpfsStore } from './ipfs/index.ts'
export type { IpfsStoreOptions } from './ipfs/index.ts'
