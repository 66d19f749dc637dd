// `sockaudit diff`: findings new, resolved, persisting (identity: host, unit, kind) or
// unverified (their host was not audited this time); hosts that became unknown or came back.
import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import { ExitCode, getDiffExitCode } from '../../src/model/exit-code.js';
import type { HostOutcome } from '../../src/model/types.js';
import { diffReports } from '../../src/policy/run-diff.js';
import { audited, makeService, makeSocket, unknown } from '../helpers/model-factories.js';

const meta = (day: string) => ({ toolVersion: '0.1.0', startedAt: new Date(`${day}T10:00:00Z`), finishedAt: new Date(`${day}T10:00:01Z`) });
const failed = (unit: string, result = 'resources') => makeSocket({ unit, active: 'failed', sub: 'failed', result, triggers: [] });
const healthy = (unit: string) => makeSocket({ unit, triggers: [] });
const host = (name: string, ...sockets: ReturnType<typeof makeSocket>[]): HostOutcome => audited({ name }, { sockets, services: { 'api.service': makeService() } });

const before = assessFleet(
  [
    host('web-1', failed('api.socket'), healthy('metrics.socket')),
    host('web-2', failed('api.socket')),
    host('web-3', failed('api.socket')),
    unknown({ name: 'edge-1' }, 'refused'),
    unknown({ name: 'edge-2' }, 'refused'),
    host('db-1', healthy('pg.socket')),
    host('old-1', failed('x.socket')),
  ],
  meta('2026-11-27'),
);
const after = assessFleet(
  [
    host('web-1', failed('api.socket'), failed('metrics.socket')), // persisting + new
    host('web-2', healthy('api.socket')), // resolved
    unknown({ name: 'web-3' }, 'connect-timeout'), // became unknown: its finding is unverified
    host('edge-1', healthy('api.socket')), // came back
    unknown({ name: 'edge-2' }, 'dns'), // another reason
    host('db-1', failed('pg.socket', 'trigger-limit-hit')), // new
    host('new-1'), // added
  ],
  meta('2026-11-28'),
);

describe('diffReports', () => {
  const diff = diffReports(before, after, { old: 'old.json', new: 'new.json' });
  const ids = (list: { host: string; unit: string }[]): string[] => list.map((f) => `${f.host} ${f.unit}`);

  it('sorts findings into new, resolved, persisting and unverified', () => {
    expect(ids(diff.findings.new)).toEqual(['web-1 metrics.socket', 'db-1 pg.socket']);
    expect(ids(diff.findings.persisting)).toEqual(['web-1 api.socket']);
    expect(ids(diff.findings.resolved)).toEqual(['web-2 api.socket']);
    expect(ids(diff.findings.unverified)).toEqual(['web-3 api.socket', 'old-1 x.socket']);
    expect(diff.findings.new[1]).toMatchObject({ kind: 'socket-failed', severity: 'critical', cause: 'trigger-limit-hit', result: 'trigger-limit-hit' });
  });

  it('lists host changes with the state before and after', () => {
    expect(diff.hosts.map((h) => `${h.host} ${h.change}`)).toEqual(['web-3 became-unknown', 'edge-1 came-back', 'edge-2 reason-changed', 'new-1 added', 'old-1 removed']);
    expect(diff.hosts[0]).toEqual({ host: 'web-3', change: 'became-unknown', before: { status: 'audited', reason: null, detail: null }, after: { status: 'unknown', reason: 'connect-timeout', detail: 'detail' } });
    expect(diff.hosts[2]?.before?.reason).toBe('refused');
    expect(diff.hosts[2]?.after?.reason).toBe('dns');
  });

  it('summarises, and exits 1 for anything new', () => {
    expect(diff.summary).toEqual({ newFindings: 2, resolved: 1, persisting: 1, unverified: 2, becameUnknown: 1, cameBack: 1, reasonChanged: 1, added: 1, removed: 1 });
    expect(diff.old).toEqual({ file: 'old.json', startedAt: '2026-11-27T10:00:00.000Z' });
    expect(getDiffExitCode(diff)).toBe(ExitCode.findings);
  });

  it('records a persisting finding whose severity or cause changed', () => {
    const changed = structuredClone(after);
    const finding = changed.findings.find((f) => f.host === 'web-1' && f.unit === 'api.socket');
    if (finding === undefined) throw new Error('no finding');
    finding.cause = { ...finding.cause, id: 'port-in-use', title: 'Port already in use' };
    const d = diffReports(before, changed, { old: 'a', new: 'b' });
    expect(d.findings.persisting[0]?.before).toEqual({ severity: 'critical', cause: 'unknown', causeTitle: 'Cause not determined' });
  });

  it('a run compared with itself has nothing new, nothing resolved: exit 0', () => {
    const same = diffReports(after, after, { old: 'a', new: 'a' });
    expect(same.summary).toEqual({ newFindings: 0, resolved: 0, persisting: after.findings.length, unverified: 0, becameUnknown: 0, cameBack: 0, reasonChanged: 0, added: 0, removed: 0 });
    expect(getDiffExitCode(same)).toBe(ExitCode.clean);
    // Fixing things is not news: only resolved findings and returning hosts exit 0.
    expect(getDiffExitCode(diffReports(after, assessFleet([host('web-1'), host('web-2'), host('edge-1')], meta('2026-11-29')), { old: 'a', new: 'b' }))).toBe(ExitCode.clean);
  });
});
