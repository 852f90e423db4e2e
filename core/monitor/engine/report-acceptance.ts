import type { OrderReport, PipelineState, UnitRef } from '../../domain/index.ts'
import type { ClusterIdentity } from '../cluster-identity.ts'

/** Why a report is ignored: which rule it broke, and the reason recorded in `UnitReportIgnored`. */
export interface ReportRefusal {
  kind: 'cluster' | 'token' | 'worker'
  reason: string
}

/**
 * Why a report must be ignored, or null when it may be decided on (SPEC §5): it comes from
 * another cluster, does not echo its order's token, or comes from a worker other than the
 * unit's. The token is never part of the reason.
 */
export function refuseReport(
  identity: ClusterIdentity,
  state: PipelineState | undefined,
  unit: UnitRef,
  report: OrderReport,
): ReportRefusal | null {
  if (report.cluster !== identity.cluster)
    return {
      kind: 'cluster',
      reason: `report from another cluster (${report.cluster ?? 'none given'}) by worker ${report.workerId}`,
    }
  if (!identity.isValidToken(report.orderId, report.token))
    return {
      kind: 'token',
      reason: `report with a wrong or missing order token by worker ${report.workerId}`,
    }
  const current = state?.steps[unit.step]?.units.find((u) => u.shard === unit.shard)
  if (
    current &&
    current.attempt === unit.attempt &&
    current.worker !== null &&
    current.worker !== report.workerId
  )
    return {
      kind: 'worker',
      reason: `report by worker ${report.workerId}, but the unit's worker is ${current.worker}`,
    }
  return null
}
