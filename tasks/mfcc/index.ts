export { extractMfcc } from './extract-mfcc.ts'
export { computeMfcc, countFrames, FLOAT64_EPS, type MfccMatrix } from './mfcc-banzai.ts'
export { computeMeydaMfcc, countMeydaFrames, MEYDA_MAX_NUMCEP } from './mfcc-meyda.ts'
export { computeFeatures, computeWavMfcc, prepareSignal } from './mfcc-of-wav.ts'
export {
  checkMfccParams,
  MFCC_DEFAULTS,
  parseMfccArgs,
  resolveMfccParams,
  type MfccParams,
} from './mfcc-params.ts'
export { resampleMono } from './resample.ts'
