import { z } from 'zod'
import { ClusterId } from './messages.ts'

const Endpoint = z.string().regex(/^tcp:\/\/\S+:\d{1,5}$/, 'must be a tcp://host:port endpoint')

/** Where a monitor's sockets listen (what `GET /api/transport` serves): reports, control, one per lane, and the CURVE server key or null. */
export const TransportEndpoints = z.object({
  reports: Endpoint,
  control: Endpoint,
  /** The lanes the monitor serves (v2: orders go to each worker's own endpoint). */
  lanes: z.array(z.string()),
  curveServerKey: z.string().length(40).nullable(),
  /** The monitor's cluster (its data folder's id): a worker takes orders of this cluster only. */
  cluster: ClusterId.optional(),
})
export type TransportEndpoints = z.infer<typeof TransportEndpoints>
