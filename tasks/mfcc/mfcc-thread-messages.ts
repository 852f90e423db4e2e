import type { ThreadError } from '../thread-error.ts'
import type { MfccMatrix } from './mfcc-banzai.ts'
import type { MfccParams } from './mfcc-params.ts'

// EXTRACT_MFCC's compute thread and the task talk in these messages (structured clone within
// one process: plain types, not zod schemas); the WAV and the matrix move as transferred buffers.

/** Task → thread: the MFCCs of one WAV file. */
export interface MfccToThread {
  id: number
  wav: Uint8Array
  params: MfccParams
}

/** Thread → task: the matrix, or why there is none. */
export type MfccFromThread = { id: number; mfcc: MfccMatrix } | { id: number; error: ThreadError }
