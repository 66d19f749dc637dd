// Hosts reached through jump hosts: the report says which way (never with what credentials),
// reads back, and the human reports show it next to the address.
import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import type { FleetReport, JumpHost } from '../../src/model/types.js';
import { readFleetReport } from '../../src/report/read-fleet-report.js';
import { renderReport } from '../../src/report/render-report.js';
import { audited, unknown } from '../helpers/model-factories.js';

const hop = (label: string, address: string): JumpHost => ({
  label,
  address,
  port: 22,
  user: 'ops',
  identityFiles: ['/home/me/.ssh/bastion_key'],
  useAgent: false,
  knownHostsFiles: ['/home/me/.ssh/known_hosts'],
  connectTimeoutMs: 5000,
});
const when = { toolVersion: '0.0.0-test', startedAt: new Date('2026-11-28T10:00:00Z'), finishedAt: new Date('2026-11-28T10:00:01Z') };
const report: FleetReport = assessFleet(
  [
    audited({ name: 'db-1', address: 'db-1.internal', jumps: [hop('bastion-1', '203.0.113.10')] }),
    unknown({ name: 'db-9', address: 'db-9.internal', jumps: [hop('bastion-1', '203.0.113.10'), hop('inner-gw', '10.1.0.1')] }, 'refused', 'jump host inner-gw: connection to db-9.internal:22 refused'),
    audited({ name: 'web-1', address: '10.0.0.1' }),
  ],
  when,
);

describe('the route to a host behind jump hosts', () => {
  it('is in the JSON report as hops (label, address, port, user), not keys, and reads back', () => {
    expect(report.hosts.map((h) => h.via?.map((v) => v.label))).toEqual([['bastion-1'], ['bastion-1', 'inner-gw'], undefined]);
    expect(report.hosts[0]?.via).toEqual([{ label: 'bastion-1', address: '203.0.113.10', port: 22, user: 'ops' }]);
    const json = renderReport(report, 'json');
    expect(json).not.toContain('bastion_key');
    expect(readFleetReport(json, 'r.json').hosts[1]?.via).toEqual(report.hosts[1]?.via);
  });

  it('is shown next to the address of a host that could not be audited', () => {
    const table = renderReport(report, 'table', { table: { color: false, width: 160 } });
    expect(table).toContain('db-9.internal via bastion-1 → inner-gw');
    expect(renderReport(report, 'html')).toContain('db-9.internal via bastion-1 → inner-gw');
  });
});
