import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import { renderTable, terminalSafe } from '../../src/report/render-table.js';
import { audited, makeService, makeSocket, unknown } from '../helpers/model-factories.js';

const meta = { toolVersion: '0.0.0', startedAt: new Date('2026-11-28T10:00:00Z'), finishedAt: new Date('2026-11-28T10:00:01.5Z') };

describe('renderTable', () => {
  const report = assessFleet(
    [
      audited({ name: 'web-1' }, { sockets: [makeSocket({ active: 'failed', sub: 'failed', result: 'resources' })] }),
      audited(
        { name: 'web-2' },
        {
          sockets: [makeSocket({ active: 'failed', sub: 'failed', result: 'service-start-limit-hit' })],
          services: { 'api.service': makeService({ active: 'failed', sub: 'failed', result: 'exit-code' }) },
        },
      ),
      audited({ name: 'web-3' }),
      unknown({ name: 'edge-1', address: '198.51.100.7', port: 2222 }, 'refused', 'connect ECONNREFUSED 198.51.100.7:2222'),
    ],
    meta,
  );
  const text = renderTable(report, { color: false });

  it('groups failed sockets by unit with each host, Result, listen address and service state', () => {
    expect(text).toContain('Failed sockets: 2 on 2 hosts');
    expect(text).toMatch(/│ api\.socket\s+│ web-1\s+│ resources\s+│ 0\.0\.0\.0:8080\s+│ api\.service inactive\/dead\s+│/);
    expect(text).toMatch(/│ 2 of 3 hosts ├/);
    expect(text).toMatch(/│\s+│ web-2\s+│ service-start-limit-hit\s+│ 0\.0\.0\.0:8080\s+│ api\.service failed\/failed \(exit-code\)\s+│/);
    expect(text).not.toContain('web-3');
  });

  it('lists hosts that could not be audited with their reason', () => {
    expect(text).toContain('Hosts not audited: 1');
    expect(text).toMatch(/│ edge-1\s+│ 198\.51\.100\.7:2222\s+│ refused\s+│ connect ECONNREFUSED 198\.51\.100\.7:2222\s+│/);
  });

  it('ends with a one-line summary', () => {
    expect(text.trimEnd().split('\n').at(-1)).toBe('4 hosts: 3 audited, 1 unknown · 3 sockets checked · 2 failed on 2 hosts · 1.5 s');
  });

  it('has no colour codes unless asked, and colour when asked', () => {
    expect(text).not.toContain('\u001b[');
    expect(renderTable(report, { color: true })).toContain('\u001b[31m');
  });

  it('says so plainly when nothing failed', () => {
    const clean = renderTable(assessFleet([audited({ name: 'a' })], meta), { color: false });
    expect(clean).toContain('No failed sockets on 1 audited hosts.');
    expect(clean).not.toContain('Hosts not audited');
  });

  it('neutralises terminal control sequences coming from a host', () => {
    expect(terminalSafe('evil\u001b]0;pwned\u0007.socket')).toBe('evil\\x1b]0;pwned\\x07.socket');
    const hostile = assessFleet([unknown({ name: 'x' }, 'parse-error', 'banner \u001b[2J cleared')], meta);
    expect(renderTable(hostile, { color: false })).toContain('banner \\x1b[2J cleared');
  });
});
