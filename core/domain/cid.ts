import { z } from 'zod'

/** CIDv1 in base32 (multibase prefix `b`), as `ipfs add --cid-version=1 --raw-leaves` prints it. */
export const CID_PATTERN = /^b[a-z2-7]{20,200}$/

/** A content identifier: the name of a blob in the content store. */
export const Cid = z.string().regex(CID_PATTERN, 'must be a base32 CIDv1 (b…)').brand<'Cid'>()
export type Cid = z.infer<typeof Cid>

/** Treats a string already known to be a CID (e.g. computed by the store) as one. */
export function asCid(value: string): Cid {
  return Cid.parse(value)
}
