import { fileURLToPath } from 'node:url'

/** The project's root folder, whether this runs from the sources (bin/) or from the build (dist/bin/). */
export const PROJECT_ROOT = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../' : '../../', import.meta.url),
)
