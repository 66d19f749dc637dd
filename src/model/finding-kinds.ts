// The closed catalogue of finding kinds. Every renderer and the README list read titles and
// hints from here, so a new kind is described once.
import type { FindingKind, Severity } from './types.js';

export interface FindingKindInfo {
  title: string;
  severity: Severity;
  summary: string;
  hint: string;
}

export const findingKinds: Record<FindingKind, FindingKindInfo> = {
  'socket-failed': {
    title: 'Socket unit failed',
    severity: 'critical',
    summary:
      'The socket unit is in the failed state: systemd closed its listening sockets, so connections to it are refused while the host itself looks healthy.',
    hint: 'Look at its Result (resources = could not bind, service-start-limit-hit = the service crash-loops, trigger-limit-hit = activated too often), fix the cause, then `systemctl reset-failed UNIT && systemctl start UNIT`.',
  },
};

const severityRank: Record<Severity, number> = { notice: 0, warning: 1, critical: 2 };

/** True when `severity` is at or above `threshold`. */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank[severity] >= severityRank[threshold];
}
