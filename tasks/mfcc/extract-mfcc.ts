import type { ImplementationOf } from '../../core/domain/index.ts'
import { readBytes } from '../documents.ts'
import { encodeNpy } from '../npy/index.ts'
import { computeWavMfccInThread } from './mfcc-in-thread.ts'
import { resolveMfccParams } from './mfcc-params.ts'

/** Largest WAV read for one item, bytes (2 GiB: 16-bit mono 16 kHz is over 18 hours). */
const MAX_WAV_BYTES = 2 ** 31 - 1

/**
 * EXTRACT_MFCC (SPEC §3), per item: reads the item's WAV, mixes to mono, resamples to
 * `samplerate`, computes the MFCCs and stores them as a float32 .npy of shape [frames, numcep].
 * The decoding and computing run in the worker's MFCC thread (`mfcc-in-thread.ts`), never on
 * the thread that sends its heartbeats.
 */
export const extractMfcc: ImplementationOf<'EXTRACT_MFCC'> = {
  kind: 'perItem',
  async runItem(item, args, ctx) {
    const params = resolveMfccParams(args)
    ctx.signal.throwIfAborted()
    const wav = await readBytes(ctx.store, item.audio, MAX_WAV_BYTES)
    ctx.signal.throwIfAborted()
    const mfcc = await computeWavMfccInThread(wav, params)
    ctx.signal.throwIfAborted()
    const { cid } = await ctx.store.put(encodeNpy(mfcc.data, [mfcc.frames, mfcc.numcep]))
    return { fields: { mfcc: cid, frames: mfcc.frames }, refs: [cid] }
  },
}
