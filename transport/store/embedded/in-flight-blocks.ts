import type { CID } from 'multiformats/cid'
import type { BlockSeen } from './block-files.ts'

/** Blocks that running puts stored or rely on, counted per put: delete never removes them. */
export class InFlightBlocks {
  private readonly counts = new Map<string, number>()

  /** Whether a running put needs this block. */
  has(block: string): boolean {
    return this.counts.has(block)
  }

  /**
   * Tracks one put: `seen.needed` marks a block in flight (once per put), `seen.written` notes
   * those it wrote; `release()` ends the put's claim on every block it needed.
   */
  track(): { seen: BlockSeen; needed: Set<string>; written: Set<string>; release: () => void } {
    const needed = new Set<string>()
    const written = new Set<string>()
    const seen = {
      needed: (cid: CID): void => {
        const key = cid.toString()
        if (needed.has(key)) return
        needed.add(key)
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
      },
      written: (cid: CID): void => void written.add(cid.toString()),
    }
    const release = (): void => {
      for (const key of needed) {
        const count = (this.counts.get(key) ?? 1) - 1
        if (count === 0) this.counts.delete(key)
        else this.counts.set(key, count)
      }
      needed.clear()
    }
    return { seen, needed, written, release }
  }
}
