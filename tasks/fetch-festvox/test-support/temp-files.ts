import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

/** The files left in `<dataDir>/tmp` (a folder never made holds none). */
export async function leftoverTemps(dataDir: string): Promise<string[]> {
  try {
    return await readdir(join(dataDir, 'tmp'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}
