import type { FeatureRecording } from '../train.ts'
import { createRandom, drawNormal } from '../rng.ts'

/** What to synthesise: speakers × utterance ids, frames per recording, coefficients per frame. */
export interface SyntheticSpec {
  speakers: string[]
  utterances: number
  frames: number
  numcep: number
  seed: number
  /** Distance between speaker centres relative to the per-frame noise; default 1.5. */
  separation?: number
}

/**
 * Seeded MFCC-like recordings: each speaker's frames are Gaussian around its own centre, plus a
 * low-rank "phonetic" component shared by all speakers that varies along each utterance (so that
 * frames are correlated across coefficients, as real MFCCs are).
 */
export function makeSyntheticRecordings(spec: SyntheticSpec): FeatureRecording[] {
  const random = createRandom(spec.seed)
  const { numcep } = spec
  const separation = spec.separation ?? 1.5
  const centres = spec.speakers.map(() =>
    Array.from({ length: numcep }, () => drawNormal(random) * separation),
  )
  const rank = 3
  const basis = Array.from({ length: rank }, () =>
    Array.from({ length: numcep }, () => drawNormal(random) * 2),
  )
  const out: FeatureRecording[] = []
  for (let u = 1; u <= spec.utterances; u++) {
    const utterance = `arctic_a${String(u).padStart(4, '0')}`
    spec.speakers.forEach((speaker, s) => {
      const data = new Float32Array(spec.frames * numcep)
      for (let f = 0; f < spec.frames; f++) {
        const phase = (f / spec.frames) * Math.PI * 2 + u
        const latent = [Math.sin(phase), Math.cos(phase * 0.7), Math.sin(phase * 1.3 + 1)]
        for (let c = 0; c < numcep; c++) {
          let v = (centres[s]?.[c] ?? 0) + drawNormal(random) * 0.5
          for (let k = 0; k < rank; k++) v += (latent[k] ?? 0) * (basis[k]?.[c] ?? 0)
          data[f * numcep + c] = v
        }
      }
      out.push({
        id: `${speaker}/${utterance}`,
        speaker,
        utterance,
        mfcc: { data, rows: spec.frames, cols: numcep },
      })
    })
  }
  return out
}
