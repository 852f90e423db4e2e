// The package ships Emscripten output without types: the part of its API that pffft.ts uses.
declare module '@echogarden/pffft-wasm/simd' {
  /** The instantiated module: pffft.h's functions, pointers being byte offsets into the heap. */
  export interface PffftModule {
    /** The wasm heap as float32; replaced when the heap grows (after an allocation). */
    HEAPF32: Float32Array
    _pffft_new_setup(n: number, transform: number): number
    _pffft_destroy_setup(setup: number): void
    _pffft_transform_ordered(
      setup: number,
      input: number,
      output: number,
      work: number,
      direction: number,
    ): void
    _pffft_aligned_malloc(bytes: number): number
    _pffft_aligned_free(pointer: number): void
  }
  const createPffft: () => Promise<PffftModule>
  export default createPffft
}
