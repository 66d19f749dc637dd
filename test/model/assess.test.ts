import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import { audited, makeService, makeSocket, unknown } from '../helpers/model-factories.js';

const meta = { toolVersion: '1.2.3', startedAt: new Date('2026-11-28T10:00:00Z'), finishedAt: new Date('2026-11-28T10:00:02Z') };

describe('assessFleet', () => {
  const outcomes = [
    audited({ name: 'web-1' }),
    audited(
      { name: 'web-2' },
      {
        sockets: [
          makeSocket({ unit: 'api.socket', active: 'failed', sub: 'failed', result: 'service-start-limit-hit' }),
          makeSocket({ unit: 'metrics.socket', triggers: ['metrics.service'] }),
        ],
        services: { 'api.service': makeService({ active: 'failed', sub: 'failed', result: 'exit-code', execMainStatus: 3 }) },
      },
    ),
    audited({ name: 'web-3' }, { sockets: [makeSocket({ active: 'failed', sub: 'failed', result: 'resources' })] }),
    unknown({ name: 'web-4' }, 'host-key-mismatch', 'offered SHA256:abc'),
    unknown({ name: 'web-5' }, 'connect-timeout'),
  ];
  const report = assessFleet(outcomes, meta);

  it('lists every host exactly once, in order, with its status', () => {
    expect(report.hosts.map((h) => [h.name, h.status])).toEqual([
      ['web-1', 'audited'],
      ['web-2', 'audited'],
      ['web-3', 'audited'],
      ['web-4', 'unknown'],
      ['web-5', 'unknown'],
    ]);
    expect(report.hosts[3]).toMatchObject({ reason: 'host-key-mismatch', detail: 'offered SHA256:abc', sockets: [] });
  });

  it('keeps credentials out of the report', () => {
    expect(JSON.stringify(report)).not.toMatch(/identityFiles|knownHostsFiles|passphrase/);
  });

  it('makes one finding per failed socket, joined with the state of the service it triggers', () => {
    expect(report.findings).toEqual([
      {
        host: 'web-2',
        unit: 'api.socket',
        kind: 'socket-failed',
        severity: 'critical',
        result: 'service-start-limit-hit',
        listen: [{ type: 'Stream', address: '0.0.0.0:8080' }],
        triggers: [{ unit: 'api.service', load: 'loaded', active: 'failed', sub: 'failed', result: 'exit-code' }],
        cause: expect.objectContaining({ id: 'service-crash-loop', title: 'Service crash loop', basis: 'result' }),
        evidence: { journalAccess: 'not-needed', note: 'no journal excerpt was collected for this socket', since: null, units: [], entries: [] },
        nextSteps: expect.arrayContaining([expect.objectContaining({ command: expect.stringContaining('journalctl --no-pager -u api.socket -u api.service') })]),
      },
      expect.objectContaining({ host: 'web-3', unit: 'api.socket', result: 'resources', cause: expect.objectContaining({ id: 'unknown' }) }),
    ]);
  });

  it('does not report healthy sockets', () => {
    expect(report.findings.some((f) => f.unit === 'metrics.socket' || f.host === 'web-1')).toBe(false);
  });

  it('aggregates per unit and summarises the fleet', () => {
    expect(report.byUnit).toEqual([
      { unit: 'api.socket', hosts: ['web-2', 'web-3'], results: { 'service-start-limit-hit': 1, resources: 1 }, causes: { 'service-crash-loop': 1, unknown: 1 } },
    ]);
    expect(Object.keys(report.causes).sort()).toEqual(['service-crash-loop', 'unknown']);
    expect(report.summary).toEqual({
      hostsTotal: 5,
      hostsAudited: 3,
      hostsUnknown: 2,
      socketsAudited: 4,
      findings: 2,
      findingsBySeverity: { critical: 2, warning: 0, notice: 0 },
      unknownByReason: { 'host-key-mismatch': 1, 'connect-timeout': 1 },
    });
    expect(report).toMatchObject({ schemaVersion: 1, durationMs: 2000, tool: { name: 'sockaudit', version: '1.2.3' } });
  });

  it('marks a triggered unit whose state was not read', () => {
    const only = assessFleet([audited({}, { sockets: [makeSocket({ active: 'failed', triggers: ['gone.service'] })], services: {} })], meta);
    expect(only.findings[0]?.triggers).toEqual([{ unit: 'gone.service', load: null, active: null, sub: null, result: null }]);
  });
});
