export { encodeNpy, decodeNpy, type NpyArray } from './npy.ts'
