import { z } from 'zod'
import { type ArgsOf, ValidationError } from '../../core/domain/index.ts'

/** Every knob of EXTRACT_MFCC, defaults filled in (SPEC §3). */
export interface MfccParams {
  nfilt: number
  numcep: number
  /** Lowest filter edge, Hz. */
  lowfreq: number
  /** Highest filter edge, Hz. */
  highfreq: number
  /** Rate the signal is resampled to first, Hz. */
  samplerate: number
  /** Frame length, seconds (default 0.025). */
  winlen: number
  /** Hop, seconds (default 0.01). */
  winstep: number
  /** FFT size, a power of two (default 512). */
  nfft: number
  /** Pre-emphasis coefficient; 0 (default) for none. */
  preemph: number
  /** Sinusoidal lifter L; 0 (default) for none. */
  ceplifter: number
  /** Replace c0 by the log frame energy (default false). */
  appendEnergy: boolean
  engine: 'banzai' | 'meyda'
}

/** The defaults of the options argument. */
export const MFCC_DEFAULTS = {
  winlen: 0.025,
  winstep: 0.01,
  nfft: 512,
  preemph: 0,
  ceplifter: 0,
  appendEnergy: false,
  engine: 'banzai',
} as const satisfies Partial<MfccParams>

// For arguments that did not come through the worker host (tests, benchmarks): the host parses an
// order's arguments with the catalogue's schema and hands the task the typed tuple.
const Args = z.tuple(
  [z.number().int(), z.number().int(), z.number(), z.number(), z.number().int()],
  z
    .strictObject({
      winlen: z.number().positive().optional(),
      winstep: z.number().positive().optional(),
      nfft: z.number().int().optional(),
      preemph: z.number().optional(),
      ceplifter: z.number().optional(),
      appendEnergy: z.boolean().optional(),
      engine: z.enum(['banzai', 'meyda']).optional(),
    })
    .optional(),
)

/** Reads EXTRACT_MFCC(nfilt, numcep, lowfreq, highfreq, samplerate [, options]) into MfccParams; throws ValidationError. */
export function parseMfccArgs(args: unknown[]): MfccParams {
  if (args.length > 6) throw new ValidationError(`EXTRACT_MFCC takes at most 6 args, got ${args.length}`)
  const parsed = Args.safeParse(args)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ValidationError(
      `EXTRACT_MFCC args${issue?.path.map((p) => `[${String(p)}]`).join('') ?? ''}: ${issue?.message ?? 'invalid'}`,
    )
  }
  const [nfilt, numcep, lowfreq, highfreq, samplerate, options] = parsed.data
  return resolveMfccParams([nfilt, numcep, lowfreq, highfreq, samplerate, options])
}

/** EXTRACT_MFCC's parsed arguments as MfccParams, defaults filled in; throws ValidationError if they cannot produce features. */
export function resolveMfccParams(args: ArgsOf<'EXTRACT_MFCC'>): MfccParams {
  const [nfilt, numcep, lowfreq, highfreq, samplerate, options] = args
  const params: MfccParams = { ...MFCC_DEFAULTS, ...options, nfilt, numcep, lowfreq, highfreq, samplerate }
  checkMfccParams(params)
  return params
}

/** Throws ValidationError when the parameters cannot produce features (fft size, frame length, band edges). */
export function checkMfccParams(p: MfccParams): void {
  // fft.js (and Meyda) transform powers of two only.
  if (p.nfft < 2 || (p.nfft & (p.nfft - 1)) !== 0)
    throw new ValidationError(`nfft must be a power of two, got ${p.nfft}`)
  if (p.numcep > p.nfilt) throw new ValidationError(`numcep (${p.numcep}) must be at most nfilt (${p.nfilt})`)
  if (p.highfreq > p.samplerate / 2)
    throw new ValidationError(`highfreq (${p.highfreq}) must be at most samplerate / 2 (${p.samplerate / 2})`)
  if (p.lowfreq >= p.highfreq)
    throw new ValidationError(`lowfreq (${p.lowfreq}) must be below highfreq (${p.highfreq})`)
  const frame = roundHalfUp(p.winlen * p.samplerate)
  if (frame < 1 || roundHalfUp(p.winstep * p.samplerate) < 1)
    throw new ValidationError('winlen and winstep must each span at least one sample')
  if (p.engine === 'banzai' && frame > p.nfft) {
    throw new ValidationError(`frame length ${frame} samples (winlen × samplerate) exceeds nfft ${p.nfft}`)
  }
}

/** Rounds halves up, as python_speech_features' round_half_up does for frame lengths. */
export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5)
}
