import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import { renderTable } from '../../src/report/render-table.js';
import { terminalSafe } from '../../src/report/text-safety.js';
import { audited, makeService, makeSocket, unknown } from '../helpers/model-factories.js';

const meta = { toolVersion: '0.0.0', startedAt: new Date('2026-11-28T10:00:00Z'), finishedAt: new Date('2026-11-28T10:00:01.5Z') };

describe('renderTable', () => {
  const report = assessFleet(
    [
      audited({ name: 'web-1' }, { sockets: [makeSocket({ active: 'failed', sub: 'failed', result: 'resources' })] }),
      audited(
        { name: 'web-2' },
        {
          sockets: [
            makeSocket({ active: 'failed', sub: 'failed', result: 'service-start-limit-hit' }),
            makeSocket({ unit: 'old.socket', load: 'masked', active: 'inactive', sub: 'dead' }),
          ],
          services: { 'api.service': makeService({ active: 'failed', sub: 'failed', result: 'exit-code' }) },
        },
      ),
      audited({ name: 'web-3' }),
      unknown({ name: 'edge-1', address: '198.51.100.7', port: 2222 }, 'refused', 'connect ECONNREFUSED 198.51.100.7:2222'),
    ],
    meta,
  );
  const text = renderTable(report, { color: false });

  it('groups problems by unit: each host with severity, problem, cause title and detail', () => {
    expect(text).toContain('Problems: 2 on 2 hosts (2 critical)');
    expect(text).toMatch(/│ api\.socket\s+│ web-1\s+│ critical\s+│ Cause not determined\s+│/);
    expect(text).toMatch(/│ 0\.0\.0\.0:8080\s+│\s+│ failed: resources\s+│ Result=resources: /);
    expect(text).toMatch(/│ 2 of 3 hosts │\s+│\s+│ \(bind, listen or another resource\)/);
    expect(text).toMatch(/│\s+│ web-2\s+│ critical\s+│ Service crash loop\s+│/);
    expect(text).toMatch(/│\s+│\s+│ failed: service-start-limit-hit │ api\.service failed\/failed; Result=exit-code; start limit\s+│/);
    expect(text).not.toContain('web-3');
  });

  it('puts the first next step on a line of its own under each finding', () => {
    const steps = text.split('\n').filter((l) => l.includes('next:'));
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatch(/│\s+│ next: journalctl --no-pager -u api\.socket -u api\.service --since '2026-11-28 07:54:43 UTC'\s+│$/);
  });

  it('stays within 120 columns by default and wraps into a narrower width when asked', () => {
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(120);
    const narrow = renderTable(report, { color: false, width: 90 });
    const tableLines = narrow.split('\n').filter((l) => /^[┌│├└]/.test(l));
    expect(tableLines.length).toBeGreaterThan(10);
    for (const line of tableLines) expect(line.length, line).toBeLessThanOrEqual(90);
  });

  it('says why a finding has no journal lines', () => {
    const wide = renderTable(report, { color: false, width: 220 });
    expect(wide).toContain('no journal evidence: no journal excerpt was collected for this socket');
  });

  it('sums notices up in one line instead of table rows', () => {
    expect(text).toContain('Notices: 1 (masked or unused units; details with -f json): old.socket masked on web-2');
    expect(text).not.toMatch(/│ old\.socket/);
  });

  it('lists hosts that could not be audited with their reason', () => {
    expect(text).toContain('Hosts not audited: 1');
    expect(text).toMatch(/│ edge-1\s+│ 198\.51\.100\.7:2222\s+│ refused\s+│ connect ECONNREFUSED 198\.51\.100\.7:2222\s+│/);
  });

  it('ends with a one-line summary', () => {
    expect(text.trimEnd().split('\n').at(-1)).toBe('4 hosts: 3 audited, 1 unknown · 4 sockets checked · 2 problems on 2 hosts · 1 notice · 1.5 s');
  });

  it('has no colour codes unless asked, and colour when asked', () => {
    expect(text).not.toContain('\u001b[');
    expect(renderTable(report, { color: true })).toContain('\u001b[31m');
  });

  it('says so plainly when nothing failed', () => {
    const clean = renderTable(assessFleet([audited({ name: 'a' })], meta), { color: false });
    expect(clean).toContain('No problems on 1 audited hosts.');
    expect(clean).not.toContain('Hosts not audited');
  });

  it('names the hosts whose systemd cannot give a value, instead of showing it as fine', () => {
    const old = assessFleet(
      [
        audited({ name: 'centos-7' }, { systemdVersion: 219, capabilities: { nRefused: false, stateChangeTimestamp: false, nRestarts: false, journalUnitResult: false, templateCheck: true } }),
        audited({ name: 'deb-12' }),
      ],
      meta,
    );
    const text219 = renderTable(old, { color: false });
    expect(text219).toContain("Not available from these hosts' systemd:\n  refused connections not counted (NRefused=, systemd 239+): centos-7\n");
    expect(text219).toContain('  last state change estimated (StateChangeTimestamp=, systemd 229+): centos-7');
    expect(text219).not.toMatch(/deb-12/);
    expect(text).not.toContain('Not available from');
  });

  it('neutralises terminal control sequences coming from a host', () => {
    expect(terminalSafe('evil\u001b]0;pwned\u0007.socket')).toBe('evil\\x1b]0;pwned\\x07.socket');
    const hostile = assessFleet([unknown({ name: 'x' }, 'parse-error', 'banner \u001b[2J cleared')], meta);
    expect(renderTable(hostile, { color: false })).toContain('banner \\x1b[2J cleared');
  });
});
