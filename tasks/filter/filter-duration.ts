import type { ArgsOf, DatasetItem, WholeTaskImplementation } from '../../core/domain/index.ts'
import { readManifest, writeJson } from '../documents.ts'

/** An item's duration from its header fields, seconds. */
export function itemSeconds(item: DatasetItem): number {
  return item.samples / item.sampleRate
}

/** Builds a whole-dataset task keeping the items for which `keep(duration, seconds)` holds. */
function filterByDuration(
  call: 'FILTER_LONGER' | 'FILTER_SHORTER',
  keep: (duration: number, seconds: number) => boolean,
  wording: string,
): WholeTaskImplementation<ArgsOf<typeof call>> {
  return {
    kind: 'whole',
    async run(input, args, ctx) {
      const [seconds] = args
      const manifest = await readManifest(ctx.store, input)
      const total = manifest.items.length
      ctx.progress(0, total, 'items')
      const items = manifest.items.filter((item) => keep(itemSeconds(item), seconds))
      ctx.progress(total, total, 'items')
      const dropped = total - items.length
      if (items.length === 0)
        ctx.log.info(
          `${call}(${seconds}): none of the ${total} items lasts ${wording} ${seconds} s; the dataset is empty`,
        )
      else ctx.log.info(`${call}(${seconds}): kept ${items.length} of ${total} items, dropped ${dropped}`)
      const filtered = { ...manifest, items }
      const output = await writeJson(ctx.store, filtered)
      return { output, refs: [], stats: { kept: items.length, dropped } }
    },
  }
}

/** FILTER_LONGER(seconds): keeps the items lasting at least `seconds` (samples / sampleRate ≥ seconds). */
export const filterLonger = filterByDuration(
  'FILTER_LONGER',
  (duration, seconds) => duration >= seconds,
  'at least',
)

/** FILTER_SHORTER(seconds): keeps the items lasting less than `seconds`. */
export const filterShorter = filterByDuration(
  'FILTER_SHORTER',
  (duration, seconds) => duration < seconds,
  'less than',
)
