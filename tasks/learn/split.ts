import { createRandom, shuffleInPlace } from './rng.ts'

/** What the split needs to know of a recording. */
export interface SplitRecording {
  speaker: string
  utterance: string
}

/** Utterance ids (prompts) per part; no id is in two parts. */
export interface UtteranceSplit {
  train: string[]
  validation: string[]
  test: string[]
  /** Why there is no test part, when there is none. */
  reason?: string
}

/** Fewest utterance ids that can be split into training, validation and test parts. */
export const MIN_UTTERANCES_TO_SPLIT = 3

/**
 * Splits by utterance id, so that every recording of a sentence (by any speaker) lands in one
 * part. Stratified by speaker: utterance ids are grouped by the set of speakers who read them,
 * each group is shuffled (seeded) and spread evenly over the order the parts are cut from; every
 * speaker keeps at least one training utterance. Parts are sorted.
 */
export function splitByUtterance(
  recordings: readonly SplitRecording[],
  options: { validationSplit: number; testSplit: number; seed: number },
): UtteranceSplit {
  const speakersOf = new Map<string, Set<string>>()
  for (const r of recordings) {
    const set = speakersOf.get(r.utterance) ?? new Set<string>()
    set.add(r.speaker)
    speakersOf.set(r.utterance, set)
  }
  const ids = [...speakersOf.keys()].sort()
  const n = ids.length
  if (n < MIN_UTTERANCES_TO_SPLIT) {
    return {
      train: ids,
      validation: [],
      test: [],
      reason: `only ${n} utterance id${n === 1 ? '' : 's'}: at least ${MIN_UTTERANCES_TO_SPLIT} are needed to hold some out, so the model was trained on all of them and not tested`,
    }
  }
  const order = orderStratified(ids, speakersOf, options.seed)
  let nTest = options.testSplit > 0 ? Math.max(1, Math.round(n * options.testSplit)) : 0
  let nValidation = options.validationSplit > 0 ? Math.max(1, Math.round(n * options.validationSplit)) : 0
  while (nTest + nValidation > n - 1) {
    if (nValidation > 0) nValidation--
    else nTest--
  }
  const test = order.slice(0, nTest)
  const validation = order.slice(nTest, nTest + nValidation)
  const train = order.slice(nTest + nValidation)
  keepEverySpeakerInTraining(train, [validation, test], speakersOf)
  const split: UtteranceSplit = { train: train.sort(), validation: validation.sort(), test: test.sort() }
  if (test.length === 0) {
    split.reason =
      options.testSplit > 0
        ? 'no utterance could be held out for the test without leaving a speaker out of training'
        : 'testSplit is 0: no utterance was held out for the test'
  }
  return split
}

/** Shuffles each group of ids read by the same speakers, then interleaves the groups evenly. */
function orderStratified(ids: string[], speakersOf: Map<string, Set<string>>, seed: number): string[] {
  const random = createRandom(seed)
  const strata = new Map<string, string[]>()
  for (const id of ids) {
    const key = [...(speakersOf.get(id) ?? [])].sort().join('\u0000')
    strata.set(key, [...(strata.get(key) ?? []), id])
  }
  const placed: { id: string; position: number; stratum: number }[] = []
  const keys = [...strata.keys()].sort()
  keys.forEach((key, stratum) => {
    const members = shuffleInPlace([...(strata.get(key) ?? [])], random)
    // Evenly spaced positions, with a seeded offset so that small groups do not always lead.
    const offset = random()
    members.forEach((id, i) => placed.push({ id, position: (i + offset) / members.length, stratum }))
  })
  placed.sort((a, b) => a.position - b.position || a.stratum - b.stratum)
  return placed.map((p) => p.id)
}

/** Moves an utterance back into training for any speaker who would have none there. */
function keepEverySpeakerInTraining(
  train: string[],
  heldOut: string[][],
  speakersOf: Map<string, Set<string>>,
): void {
  const trained = new Set(train.flatMap((id) => [...(speakersOf.get(id) ?? [])]))
  for (const part of heldOut) {
    for (let i = part.length - 1; i >= 0; i--) {
      const id = part[i] as string
      const speakers = [...(speakersOf.get(id) ?? [])]
      if (speakers.some((s) => !trained.has(s))) {
        part.splice(i, 1)
        train.push(id)
        for (const s of speakers) trained.add(s)
      }
    }
  }
}
