export { createIpfsStore } from './ipfs-store.ts'
export type { IpfsStoreOptions } from './ipfs-store.ts'
