import { join } from 'node:path'
import type { Store } from '../../core/domain/index.ts'
import { createEmbeddedStore } from '../../transport/store/embedded/index.ts'
import type { Settings } from '../settings.ts'

/**
 * The content store a process uses: a real IPFS node when BANZAI_IPFS_API is set, else the
 * embedded one. `sync: 'batch'` (workers, which flush before each report) makes puts durable
 * together; the default makes each put durable before it returns.
 */
export async function openStore(
  settings: Pick<Settings, 'ipfsApi' | 'data'>,
  sync: 'each' | 'batch' = 'each',
): Promise<Store> {
  if (settings.ipfsApi) {
    // The IPFS client (kubo-rpc-client and libp2p, ~150 modules) loads only when it is used.
    const { createIpfsStore } = await import('../../transport/store/ipfs/index.ts')
    return createIpfsStore({ url: settings.ipfsApi })
  }
  return createEmbeddedStore({ dir: join(settings.data, 'store'), sync })
}
