export { createMemoryTransport, type MemoryTransport, type MemoryWorkerTransport } from './memory-transport.ts'
export { createMemoryStore, MEMORY_STORE_MAX_BYTES } from './memory-store.ts'
