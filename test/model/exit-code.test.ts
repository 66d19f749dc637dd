import { describe, expect, it } from 'vitest';
import { ExitCode, getExitCode, type GatePolicy } from '../../src/model/exit-code.js';
import type { Finding, FleetSummary, Severity } from '../../src/model/types.js';

function finding(severity: Severity): Finding {
  return {
    host: 'h',
    unit: 'u.socket',
    kind: 'socket-failed',
    severity,
    result: 'resources',
    listen: [],
    triggers: [],
    cause: { id: 'port-in-use', title: 'Port already in use', severity: 'critical', detail: '', basis: 'result' },
    evidence: { journalAccess: 'full', note: null, since: null, units: [], entries: [] },
    nextSteps: [],
  };
}

function summary(total: number, unknown: number): FleetSummary {
  return { hostsTotal: total, hostsAudited: total - unknown, hostsUnknown: unknown, socketsAudited: 0, findings: 0, findingsBySeverity: { critical: 0, warning: 0, notice: 0 }, unknownByReason: {} };
}

const strict: GatePolicy = { failOn: 'warning', maxUnknown: { count: 0 } };

describe('getExitCode', () => {
  it.each([
    ['clean fleet', [], summary(10, 0), strict, ExitCode.clean],
    ['a failed socket', [finding('critical')], summary(10, 0), strict, ExitCode.findings],
    ['findings win over unknown hosts', [finding('critical')], summary(10, 3), strict, ExitCode.findings],
    ['one unknown host, none tolerated', [], summary(10, 1), strict, ExitCode.incomplete],
    ['unknown hosts within a count tolerance', [], summary(10, 2), { ...strict, maxUnknown: { count: 2 } }, ExitCode.clean],
    ['unknown hosts beyond a count tolerance', [], summary(10, 3), { ...strict, maxUnknown: { count: 2 } }, ExitCode.incomplete],
    ['unknown share within a percent tolerance', [], summary(20, 2), { ...strict, maxUnknown: { percent: 10 } }, ExitCode.clean],
    ['unknown share beyond a percent tolerance', [], summary(20, 3), { ...strict, maxUnknown: { percent: 10 } }, ExitCode.incomplete],
    ['a notice below the threshold', [finding('notice')], summary(10, 0), strict, ExitCode.clean],
    ['a warning at the threshold', [finding('warning')], summary(10, 0), strict, ExitCode.findings],
    ['a warning below a critical threshold', [finding('warning')], summary(10, 0), { ...strict, failOn: 'critical' }, ExitCode.clean],
    ['every host unknown', [], summary(4, 4), strict, ExitCode.incomplete],
  ] as const)('%s', (_name, findings, fleet, policy, expected) => {
    expect(getExitCode({ findings: [...findings], summary: fleet }, policy)).toBe(expected);
  });
});
