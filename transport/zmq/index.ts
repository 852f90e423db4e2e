export {
  createDropCounter,
  decodeControl,
  decodeOrder,
  decodeWorkerMessage,
  encodeMessage,
  MAX_FRAME_BYTES,
  type Decoded,
  type DropCounter,
  type Rejection,
  type RejectionKind,
} from './codec.ts'
export { encodeZ85, generateCurveKeyPair, isZ85Key, type CurveKeyPair } from './curve-keys.ts'
export { discoverTransport } from './discover.ts'
export { TransportEndpoints } from '../../core/domain/index.ts'
export {
  createZmqMonitorTransport,
  type ZmqMonitorOptions,
  type ZmqMonitorTransport,
} from './monitor-transport.ts'
export type { MonitorCurve, WorkerCurve } from './socket-options.ts'
export {
  createZmqWorkerTransport,
  type ZmqWorkerOptions,
  type ZmqWorkerTransport,
} from './worker-transport.ts'
