// Two saved runs compared: which findings are new, resolved or persisting (identity: host,
// unit, kind), and which hosts became unknown, came back, or are unknown for another reason.
// A finding that disappeared because its host could not be audited is not "resolved": it is
// listed apart as unverified.
import type { DiffFinding, HostChange, HostState, RunDiff } from '../model/run-diff.js';
import type { Finding, FleetReport, HostReport } from '../model/types.js';
import { findingKey } from './baseline.js';

function diffFinding(finding: Finding): DiffFinding {
  return { host: finding.host, unit: finding.unit, kind: finding.kind, severity: finding.severity, cause: finding.cause.id, causeTitle: finding.cause.title, result: finding.result };
}

function stateOf(host: HostReport): HostState {
  return host.status === 'audited' ? { status: 'audited', reason: null, detail: null } : { status: 'unknown', reason: host.reason ?? 'parse-error', detail: host.detail ?? null };
}

function hostChanges(oldHosts: readonly HostReport[], newHosts: readonly HostReport[]): HostChange[] {
  const before = new Map(oldHosts.map((host) => [host.name, host]));
  const after = new Set(newHosts.map((host) => host.name));
  const changes: HostChange[] = [];
  for (const host of newHosts) {
    const old = before.get(host.name);
    const now = stateOf(host);
    const was = old === undefined ? null : stateOf(old);
    if (now.status === 'unknown' && was?.status !== 'unknown') changes.push({ host: host.name, change: 'became-unknown', before: was, after: now });
    else if (now.status === 'audited' && was?.status === 'unknown') changes.push({ host: host.name, change: 'came-back', before: was, after: now });
    else if (now.status === 'unknown' && was !== null && was.reason !== now.reason) changes.push({ host: host.name, change: 'reason-changed', before: was, after: now });
    else if (was === null) changes.push({ host: host.name, change: 'added', before: null, after: now });
  }
  for (const host of oldHosts) if (!after.has(host.name)) changes.push({ host: host.name, change: 'removed', before: stateOf(host), after: null });
  return changes;
}

export function diffReports(oldRun: FleetReport, newRun: FleetReport, files: { old: string; new: string }): RunDiff {
  const oldByKey = new Map(oldRun.findings.map((f) => [findingKey(f), f]));
  const newKeys = new Set(newRun.findings.map(findingKey));
  const auditedNow = new Set(newRun.hosts.filter((h) => h.status === 'audited').map((h) => h.name));
  const findings: RunDiff['findings'] = { new: [], resolved: [], persisting: [], unverified: [] };
  for (const finding of newRun.findings) {
    const old = oldByKey.get(findingKey(finding));
    if (old === undefined) {
      findings.new.push(diffFinding(finding));
      continue;
    }
    const entry = diffFinding(finding);
    if (old.severity !== finding.severity || old.cause.id !== finding.cause.id) entry.before = { severity: old.severity, cause: old.cause.id, causeTitle: old.cause.title };
    findings.persisting.push(entry);
  }
  for (const finding of oldRun.findings) {
    if (newKeys.has(findingKey(finding))) continue;
    (auditedNow.has(finding.host) ? findings.resolved : findings.unverified).push(diffFinding(finding));
  }
  const hosts = hostChanges(oldRun.hosts, newRun.hosts);
  const count = (change: HostChange['change']): number => hosts.filter((h) => h.change === change).length;
  return {
    schemaVersion: 1,
    old: { file: files.old, startedAt: oldRun.startedAt },
    new: { file: files.new, startedAt: newRun.startedAt },
    findings,
    hosts,
    summary: {
      newFindings: findings.new.length,
      resolved: findings.resolved.length,
      persisting: findings.persisting.length,
      unverified: findings.unverified.length,
      becameUnknown: count('became-unknown'),
      cameBack: count('came-back'),
      reasonChanged: count('reason-changed'),
      added: count('added'),
      removed: count('removed'),
    },
  };
}
