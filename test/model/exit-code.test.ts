import { describe, expect, it } from 'vitest';
import { ExitCode, findingFailsGate, getDiffExitCode, getExitCode, type GatePolicy } from '../../src/model/exit-code.js';
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

describe('getExitCode with gate marks (waivers, baseline) and per-kind/cause thresholds', () => {
  type Marks = Finding['gate'];
  const waiver = (expired: boolean) => ({ index: 0, where: 'policy.yaml:3', reason: 'known', owner: null, expires: '2026-12-01', expired });
  const waived: Marks = { waived: true, waiver: waiver(false), baseline: null };
  const expired: Marks = { waived: false, waiver: waiver(true), baseline: null };
  const unwaived: Marks = { waived: false, waiver: null, baseline: null };
  const isNew: Marks = { waived: false, waiver: null, baseline: 'new' };
  const persisting: Marks = { waived: false, waiver: null, baseline: 'persisting' };
  const waivedPersisting: Marks = { waived: true, waiver: waiver(false), baseline: 'persisting' };
  const expiredPersisting: Marks = { waived: false, waiver: waiver(true), baseline: 'persisting' };
  const expiredNew: Marks = { waived: false, waiver: waiver(true), baseline: 'new' };
  const marked = (gate: Marks, severity: Severity = 'critical', kind: Finding['kind'] = 'socket-failed'): Finding => ({ ...finding(severity), kind, gate });
  const count = (n: number): GatePolicy => ({ ...strict, maxUnknown: { count: n } });

  it.each([
    // waivers
    ['no marks at all (no gate applied): the finding fails', [finding('critical')], summary(10, 0), strict, ExitCode.findings],
    ['marked, not waived', [marked(unwaived)], summary(10, 0), strict, ExitCode.findings],
    ['waived', [marked(waived)], summary(10, 0), strict, ExitCode.clean],
    ['waiver expired', [marked(expired)], summary(10, 0), strict, ExitCode.findings],
    ['one waived, one not', [marked(waived), marked(unwaived)], summary(10, 0), strict, ExitCode.findings],
    ['waived, but unknown hosts beyond tolerance', [marked(waived)], summary(10, 1), strict, ExitCode.incomplete],
    ['waived, unknown hosts within tolerance', [marked(waived)], summary(10, 1), count(1), ExitCode.clean],
    ['expired waiver wins over unknown hosts', [marked(expired)], summary(10, 5), strict, ExitCode.findings],
    ['expired waiver on a notice below the threshold', [marked(expired, 'notice', 'socket-masked')], summary(10, 0), strict, ExitCode.clean],
    // baseline
    ['new against the baseline', [marked(isNew)], summary(10, 0), strict, ExitCode.findings],
    ['persisting in the baseline', [marked(persisting)], summary(10, 0), strict, ExitCode.clean],
    ['persisting, and a new one', [marked(persisting), marked(isNew)], summary(10, 0), strict, ExitCode.findings],
    ['new but waived', [marked({ ...waived, baseline: 'new' })], summary(10, 0), strict, ExitCode.clean],
    ['persisting and waived', [marked(waivedPersisting)], summary(10, 0), strict, ExitCode.clean],
    ['persisting, but its waiver expired: an expiry is not extended by the baseline', [marked(expiredPersisting)], summary(10, 0), strict, ExitCode.findings],
    ['new with an expired waiver', [marked(expiredNew)], summary(10, 0), strict, ExitCode.findings],
    ['new warning below a critical threshold', [marked(isNew, 'warning')], summary(10, 0), { ...strict, failOn: 'critical' }, ExitCode.clean],
    ['persisting only, unknown beyond tolerance', [marked(persisting)], summary(10, 2), count(1), ExitCode.incomplete],
    ['persisting only, unknown within a percent tolerance', [marked(persisting)], summary(10, 2), { ...strict, maxUnknown: { percent: 20 } }, ExitCode.clean],
    // per-kind and per-cause thresholds
    ['kind never fails', [marked(unwaived, 'warning', 'connections-refused')], summary(10, 0), { ...strict, failOnKinds: { 'connections-refused': 'never' } }, ExitCode.clean],
    ['kind threshold raised to critical, warning finding', [marked(unwaived, 'warning', 'service-failed')], summary(10, 0), { ...strict, failOnKinds: { 'service-failed': 'critical' } }, ExitCode.clean],
    ['kind threshold lowered to notice, notice finding', [marked(unwaived, 'notice', 'socket-masked')], summary(10, 0), { ...strict, failOnKinds: { 'socket-masked': 'notice' } }, ExitCode.findings],
    ['another kind keeps failOn', [marked(unwaived, 'warning', 'service-failed')], summary(10, 0), { ...strict, failOnKinds: { 'connections-refused': 'never' } }, ExitCode.findings],
    ['cause wins over kind: cause never, kind notice', [marked(unwaived, 'critical')], summary(10, 0), { ...strict, failOnKinds: { 'socket-failed': 'notice' }, failOnCauses: { 'port-in-use': 'never' } }, ExitCode.clean],
    ['cause wins over kind: cause critical, kind never', [marked(unwaived, 'critical')], summary(10, 0), { ...strict, failOnKinds: { 'socket-failed': 'never' }, failOnCauses: { 'port-in-use': 'critical' } }, ExitCode.findings],
    ['kind never, but unknown hosts beyond tolerance', [marked(unwaived, 'critical')], summary(10, 1), { ...strict, failOnKinds: { 'socket-failed': 'never' } }, ExitCode.incomplete],
  ] as const)('%s', (_name, findings, fleet, policy, expected) => {
    expect(getExitCode({ findings: [...findings], summary: fleet }, policy)).toBe(expected);
  });

  it('findingFailsGate agrees with the exit code, finding by finding', () => {
    expect(findingFailsGate(marked(waived), strict)).toBe(false);
    expect(findingFailsGate(marked(expiredPersisting), strict)).toBe(true);
    expect(findingFailsGate(marked(persisting), strict)).toBe(false);
  });
});

describe('getDiffExitCode', () => {
  const zero = { newFindings: 0, resolved: 0, persisting: 0, unverified: 0, becameUnknown: 0, cameBack: 0, reasonChanged: 0, added: 0, removed: 0 };
  it.each([
    ['nothing changed', zero, ExitCode.clean],
    ['only resolved and persisting findings, hosts came back', { ...zero, resolved: 3, persisting: 2, cameBack: 1, reasonChanged: 1, added: 2, removed: 1, unverified: 1 }, ExitCode.clean],
    ['a new finding', { ...zero, newFindings: 1 }, ExitCode.findings],
    ['a host became unknown', { ...zero, becameUnknown: 1 }, ExitCode.findings],
  ] as const)('%s', (_name, summary, expected) => {
    expect(getDiffExitCode({ summary })).toBe(expected);
  });
});
