import { CID } from 'multiformats/cid'
import { type Cid, ValidationError } from '../../core/domain/index.ts'

/** Parses a CID string into a multiformats CID; rejects one that is not a CID. */
export function parseCid(cid: Cid | string): CID {
  try {
    return CID.parse(cid)
  } catch (error) {
    throw new ValidationError(`not a CID: ${JSON.stringify(cid)} (${(error as Error).message})`, [
      { path: 'cid', message: `cid must be a base32 CIDv1, got ${JSON.stringify(cid)}` },
    ])
  }
}
