import { createEffect, createResource, Show } from 'solid-js'
import { useServices } from '../../app-context.ts'
import { ErrorBox } from '../../components/error-box.tsx'
import { viridis } from './colormap.ts'
import { parseNpy, type NpyArray } from './npy.ts'
import { settled } from '../../api/settled.ts'

/**
 * Paints a `[frames, coefficients]` matrix: time left to right, c0 at the bottom. Each
 * coefficient is scaled to its own min–max, since c0 would otherwise flatten the rest.
 */
export function paintHeatmap(canvas: HTMLCanvasElement, matrix: NpyArray): void {
  const [frames = 0, coefficients = 1] = matrix.shape
  canvas.width = Math.max(1, frames)
  canvas.height = Math.max(1, coefficients)
  const ctx = canvas.getContext('2d')
  if (!ctx || frames === 0) return
  const image = ctx.createImageData(frames, coefficients)
  for (let c = 0; c < coefficients; c++) {
    let min = Infinity
    let max = -Infinity
    for (let f = 0; f < frames; f++) {
      const v = matrix.data[f * coefficients + c] ?? 0
      if (v < min) min = v
      if (v > max) max = v
    }
    const range = max - min || 1
    const row = coefficients - 1 - c
    for (let f = 0; f < frames; f++) {
      const [r, g, b] = viridis(((matrix.data[f * coefficients + c] ?? 0) - min) / range)
      const i = (row * frames + f) * 4
      image.data[i] = r
      image.data[i + 1] = g
      image.data[i + 2] = b
      image.data[i + 3] = 255
    }
  }
  ctx.putImageData(image, 0, 0)
}

/** The MFCC of one item, fetched as `.npy` and drawn on a canvas. */
export function MfccHeatmap(props: { cid: string }) {
  const { api } = useServices()
  const [matrix] = createResource(
    () => props.cid,
    async (cid) => parseNpy(await api.bytes(`/blobs/${cid}`)),
  )
  let canvas: HTMLCanvasElement | undefined
  createEffect(() => {
    const m = settled(matrix)
    if (m && canvas) paintHeatmap(canvas, m)
  })
  return (
    <figure class="heatmap">
      <ErrorBox error={matrix.error as unknown} />
      <canvas ref={canvas} class="mfcc-canvas" aria-label="MFCC heatmap" />
      <Show when={settled(matrix)}>
        {(m) => (
          <figcaption class="muted small">
            MFCC: {m().shape[0]} frames × {m().shape[1]} coefficients (time →, c0 at the bottom; each
            coefficient scaled to its own range)
          </figcaption>
        )}
      </Show>
    </figure>
  )
}
