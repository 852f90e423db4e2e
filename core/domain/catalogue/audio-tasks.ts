import { z } from 'zod'
import type { FieldError } from '../errors.ts'
import { type ArgsOfDecls, integer, number, options, value } from './arg-shape.ts'
import { argError, declareArgs, declareTask } from './declaration.ts'

const MINUTE = 60_000
/** Meyda computes at most this many coefficients. */
export const MEYDA_MAX_NUMCEP = 40

const url = value(
  z
    .string()
    .max(4096)
    .regex(/^(https?|file):\/\/\S+$/),
  'an http:, https: or file: URL of a Festvox zip',
)

/** FETCH_FESTVOX(url, ...urls): downloads Festvox / CMU ARCTIC zips into a dataset manifest. */
export const FETCH_FESTVOX = declareTask({
  name: 'FETCH_FESTVOX',
  version: 1,
  lane: 'default',
  doc: 'Downloads one or more Festvox (CMU ARCTIC) zips and lists their WAVs as a dataset manifest.',
  args: [
    {
      name: 'url',
      doc: 'URL of a packed release zip (http:, https:, or file: under an allowed root)',
      shape: url,
    },
    { name: 'urls', doc: 'more zips, merged into one dataset', shape: url, optional: true, rest: true },
  ],
  perItem: false,
  external: true,
  needsInput: false,
  timeoutMs: 60 * MINUTE,
})

const seconds = number(0, 86_400)

/** FILTER_LONGER(seconds): keeps items lasting at least `seconds`. */
export const FILTER_LONGER = declareTask({
  name: 'FILTER_LONGER',
  version: 1,
  lane: 'default',
  doc: 'Keeps the items whose duration (samples / sampleRate) is at least `seconds`.',
  args: [{ name: 'seconds', doc: 'minimum duration, seconds', shape: seconds }],
  perItem: false,
  external: false,
  needsInput: true,
  timeoutMs: 10 * MINUTE,
})

/** FILTER_SHORTER(seconds): keeps items shorter than `seconds`. */
export const FILTER_SHORTER = declareTask({
  ...FILTER_LONGER,
  name: 'FILTER_SHORTER',
  doc: 'Keeps the items whose duration (samples / sampleRate) is shorter than `seconds`.',
  args: [{ name: 'seconds', doc: 'duration bound, seconds (exclusive)', shape: seconds }],
})

/** EXTRACT_MFCC's arguments. */
const mfccArgs = declareArgs([
  { name: 'nfilt', doc: 'number of mel filters', shape: integer(1, 128) },
  { name: 'numcep', doc: 'number of cepstral coefficients kept', shape: integer(1, 128) },
  { name: 'lowfreq', doc: 'lowest filter edge, Hz', shape: number(0, 96_000) },
  { name: 'highfreq', doc: 'highest filter edge, Hz (≤ samplerate / 2)', shape: number(1, 96_000) },
  { name: 'samplerate', doc: 'rate items are resampled to first, Hz', shape: integer(1_000, 192_000) },
  {
    name: 'options',
    doc: 'winlen, winstep (s), nfft, preemph, ceplifter, appendEnergy, engine ("banzai" | "meyda")',
    optional: true,
    shape: options({
      winlen: number(0.001, 1),
      winstep: number(0.001, 1),
      nfft: integer(16, 65_536),
      preemph: number(0, 1),
      ceplifter: number(0, 1_000),
      appendEnergy: value(z.boolean(), 'true or false'),
      engine: value(z.enum(['banzai', 'meyda']), '"banzai" or "meyda"'),
    }),
  },
])

function checkMfccArgs(args: ArgsOfDecls<typeof mfccArgs>, path: string): FieldError[] {
  const [nfilt, numcep, lowfreq, highfreq, samplerate, options = {}] = args
  const out: FieldError[] = []
  if (numcep > nfilt) out.push(argError(path, 1, 'numcep', `at most nfilt (${nfilt})`, numcep))
  if (highfreq > samplerate / 2) {
    out.push(argError(path, 3, 'highfreq', `at most samplerate / 2 (${samplerate / 2})`, highfreq))
  }
  if (lowfreq >= highfreq) out.push(argError(path, 2, 'lowfreq', `below highfreq (${highfreq})`, lowfreq))
  const frame = Math.floor((options.winlen ?? 0.025) * samplerate + 0.5)
  const nfft = options.nfft ?? 512
  if ((options.engine ?? 'banzai') === 'banzai' && frame > nfft) {
    const at =
      options.nfft === undefined
        ? argError(
            path,
            4,
            'samplerate',
            `such that a frame (winlen × samplerate = ${frame} samples) fits in nfft (${nfft}); set a larger nfft in the options`,
            samplerate,
          )
        : {
            path: `${path}.args[5].nfft`,
            message: `${path}.args[5].nfft (nfft) must be at least the frame length (winlen × samplerate = ${frame} samples), got ${nfft}`,
          }
    out.push(at)
  }
  if (options.nfft !== undefined && (options.nfft & (options.nfft - 1)) !== 0) {
    out.push({
      path: `${path}.args[5].nfft`,
      message: `${path}.args[5].nfft (nfft) must be a power of two, got ${options.nfft}`,
    })
  }
  if (options.engine === 'meyda' && numcep > MEYDA_MAX_NUMCEP) {
    out.push(argError(path, 1, 'numcep', `at most ${MEYDA_MAX_NUMCEP} with engine "meyda"`, numcep))
  }
  return out
}

/** EXTRACT_MFCC(nfilt, numcep, lowfreq, highfreq, samplerate [, options]): MFCCs of every item, per item. */
export const EXTRACT_MFCC = declareTask({
  name: 'EXTRACT_MFCC',
  version: 1,
  lane: 'default',
  doc: 'Computes MFCCs (python_speech_features semantics) of every item into a float32 .npy per item.',
  args: mfccArgs,
  perItem: true,
  itemFields: { fields: ['mfcc', 'frames'], refs: ['mfcc'] },
  external: false,
  needsInput: true,
  timeoutMs: 120 * MINUTE,
  checkArgs: checkMfccArgs,
})

/** LEARN([options]): trains a speaker classifier or a frame autoencoder on the MFCCs. */
export const LEARN = declareTask({
  name: 'LEARN',
  // v2: trains with tfjs's fit (batch "auto": 1024, less for small data), reads recordings one at a time, caps test frames.
  version: 2,
  lane: 'default',
  doc: 'Trains a model (TensorFlow.js) on the MFCC features: a speaker classifier, or a frame autoencoder.',
  args: [
    {
      name: 'options',
      doc: 'task ("auto" | "classifier" | "autoencoder"), epochs, batchSize, hidden, seed, validationSplit, testSplit',
      optional: true,
      shape: options({
        task: value(z.enum(['auto', 'classifier', 'autoencoder']), '"auto", "classifier" or "autoencoder"'),
        epochs: integer(1, 1_000),
        batchSize: integer(1, 65_536),
        hidden: integer(1, 4_096),
        seed: integer(0, 2 ** 31 - 1),
        validationSplit: number(0, 0.5),
        testSplit: number(0, 0.5),
      }),
    },
  ],
  perItem: false,
  external: false,
  needsInput: true,
  timeoutMs: 240 * MINUTE,
})
