import type uPlot from 'uplot'

/** Loads uPlot on first use, so only the training view carries it (a chunk of its own). */
export async function loadUPlot(): Promise<typeof uPlot> {
  return (await import('uplot')).default
}
