import { z } from 'zod'

const Endpoint = z.string().regex(/^tcp:\/\/\S+:\d{1,5}$/, 'must be a tcp://host:port endpoint')

/** Where a monitor's sockets listen (what `GET /api/transport` serves): reports, control, one per lane, and the CURVE server key or null. */
export const TransportEndpoints = z.object({
  reports: Endpoint,
  control: Endpoint,
  /** The lanes the monitor serves (v2: orders go to each worker's own endpoint). */
  lanes: z.array(z.string()),
  curveServerKey: z.string().length(40).nullable(),
})
export type TransportEndpoints = z.infer<typeof TransportEndpoints>
