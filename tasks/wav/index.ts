export { WavFormatError } from './wav-format-error.ts'
export { parseWavHeader, MAX_CHANNELS, type WavInfo } from './wav-header.ts'
export { decodeWav, mixToMono, type DecodedWav } from './wav-decode.ts'
