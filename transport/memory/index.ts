export {
  createMemoryTransport,
  type MemoryTransport,
  type MemoryWorkerTransport,
} from './memory-transport.ts'
export { createMemoryStore, type MemoryStore } from './memory-store.ts'
