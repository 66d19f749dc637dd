// A journal that sudo -n would not read (sudo-required), as every report format says it: the
// host is audited, its findings have no journal lines and say why, and the fix is a sudoers line.
import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import type { FleetReport, HostOutcome } from '../../src/model/types.js';
import { sudoersStep } from '../../src/model/journal-sudo.js';
import { explainFinding } from '../../src/report/finding-explanation.js';
import { readFleetReport } from '../../src/report/read-fleet-report.js';
import { renderReport } from '../../src/report/render-report.js';
import { audited, makeService, makeSocket } from '../helpers/model-factories.js';

const refused = 'sudo: a password is required (sudo -n /usr/bin/journalctl)';
const failedSocket = makeSocket({ unit: 'pgbouncer.socket', active: 'failed', sub: 'failed', result: 'service-start-limit-hit', triggers: ['pgbouncer.service'], stateChangedAt: '2026-11-28T09:40:12.000Z' });
const crashing = makeService({ unit: 'pgbouncer.service', active: 'failed', sub: 'failed', result: 'exit-code', execMainCode: 1, execMainStatus: 1 });
// As the parser leaves it: one excerpt per planned socket, empty, saying why.
const notRead = { socket: 'pgbouncer.socket', units: ['pgbouncer.socket', 'pgbouncer.service'], since: '2026-11-28T09:35:12.000Z', entries: [], skippedLines: 0, truncated: false, error: 'journal not read: sudo needs a password (sudo -n)' };
const sudoRequired = { journalAccess: 'sudo-required', journalAccessDetail: refused } as const;

const outcomes: HostOutcome[] = [
  audited({ name: 'db-2', user: 'ops', journalSudo: true }, { ...sudoRequired, sockets: [failedSocket], services: { 'pgbouncer.service': crashing }, journal: [notRead] }),
  // Nothing failed there, but its sudo would refuse too: the same note, grouped.
  audited({ name: 'db-3', user: 'ops', journalSudo: true }, { ...sudoRequired }),
  // A login that is no plain sudoers name, and a host name made to break out of markup.
  audited({ name: 'db-<b>4</b>', user: 'ALL', journalSudo: true }, { journalAccess: 'sudo-required', journalAccessDetail: 'sudo: sorry, you must have a tty to run sudo (sudo -n /bin/journalctl)' }),
  audited({ name: 'web-1' }, { journalAccess: 'full' }),
];
const when = { toolVersion: '0.0.0-test', startedAt: new Date('2026-11-28T10:00:00Z'), finishedAt: new Date('2026-11-28T10:00:01Z') };
const report: FleetReport = assessFleet(outcomes, when);
const fix = "echo 'ops ALL=(root) NOPASSWD: /usr/bin/journalctl' | sudo tee /etc/sudoers.d/sockaudit >/dev/null && sudo chmod 0440 /etc/sudoers.d/sockaudit && sudo visudo -c";

describe('sudo-required in the reports', () => {
  it('keeps the hosts audited, the finding made from systemd state, and JSON that reads back', () => {
    expect(report.summary).toMatchObject({ hostsAudited: 4, hostsUnknown: 0, findings: 1 });
    const [finding] = report.findings;
    expect(finding?.cause.id).toBe('service-crash-loop');
    expect(finding?.evidence.journalAccess).toBe('sudo-required');
    expect(finding?.evidence.entries).toEqual([]);
    // The JSON says it in sudo's own words, and carries the fix among the finding's steps.
    expect(finding?.evidence.note).toBe(`journal not read: sudo needs a password (sudo -n): ${refused}`);
    expect(finding?.nextSteps.at(-1)?.command).toBe(fix);
    const json = renderReport(report, 'json');
    const back = readFleetReport(json, 'sudo.json');
    expect(back.hosts.map((h) => h.journalAccess)).toEqual(['sudo-required', 'sudo-required', 'sudo-required', 'full']);
    expect(back.hosts[0]?.journalAccessDetail).toBe(refused);
  });

  it('table: the finding says the journal was not read, and a host note gives the sudoers fix per group of hosts', () => {
    const table = renderReport(report, 'table', { table: { color: false, width: 200 } });
    expect(table).toContain('journal not read: sudo needs a password (sudo -n)');
    expect(table).toContain('Journal not read through sudo -n on 3 audited hosts (sockets audited; findings there have no journal lines):');
    expect(table).toContain(`  db-2, db-3: sudo needs a password — ${refused}`);
    expect(table).toContain('  db-<b>4</b>: sudo requires a terminal (requiretty) — sudo: sorry, you must have a tty to run sudo (sudo -n /bin/journalctl)');
    expect(table).toContain(`    fix: ${fix}`);
    // requiretty: its own words, the exemption, and USER for a login sudoers would misread.
    expect(table).toContain("fix: printf '%s\\n' 'Defaults:USER !requiretty' 'USER ALL=(root) NOPASSWD: /bin/journalctl' | sudo tee");
    expect(table).not.toMatch(/no problems/i);
  });

  it('markdown: a section with the hosts, sudo words and the fix, all inert', () => {
    const md = renderReport(report, 'markdown');
    expect(md).toContain('### Journal not read through sudo -n');
    expect(md).toContain('`db-2`, `db-3`');
    // In a code span (inert), the pipe escaped for the table cell as GFM wants it.
    expect(md).toContain(`\`${fix.replace('|', '\\|')}\``);
    expect(md).toContain('`db-<b>4</b>`');
  });

  it('HTML: host details and the finding evidence say it, with the sudoers step among the next steps, escaped', () => {
    const page = renderReport(report, 'html');
    expect(page).toContain('sudo-required — sudo: a password is required (sudo -n /usr/bin/journalctl)');
    expect(page).toContain('journal not read: sudo needs a password (sudo -n): sudo: a password is required');
    expect(page).toContain('Let ops read the journal through sudo -n without a password');
    expect(page).toContain('echo &#39;ops ALL=(root) NOPASSWD: /usr/bin/journalctl&#39; | sudo tee /etc/sudoers.d/sockaudit &gt;/dev/null');
    expect(page).not.toContain('<b>4</b>');
  });

  it('CSV and JUnit carry the state, the plain note and the fix', () => {
    const csv = renderReport(report, 'csv');
    expect(csv).toContain('sudo-required');
    expect(csv).toContain('journal not read: sudo needs a password (sudo -n)');
    expect(csv).toContain("echo 'ops ALL=(root) NOPASSWD: /usr/bin/journalctl'");
    const junit = renderReport(report, 'junit');
    expect(junit).toContain('Evidence (journal access: sudo-required):');
    expect(junit).toContain('journal not read: sudo needs a password (sudo -n)');
    expect(junit).toContain('# Let ops read the journal through sudo -n without a password');
  });

  it('adds the sudoers step once, also to a finding that already carries it', () => {
    const [finding] = report.findings;
    if (finding === undefined) throw new Error('no finding');
    const host = { user: 'ops', journalAccessDetail: refused };
    const step = sudoersStep('ops', refused);
    const count = (steps: readonly { command: string }[]): number => steps.filter((s) => s.command === step.command).length;
    // The model adds it (the JSON carries it); the explanation does not repeat it.
    expect(count(finding.nextSteps)).toBe(1);
    expect(count(explainFinding(finding, report, host).nextSteps)).toBe(1);
    // A finding from a report written before the model added it gets it from the explanation.
    const older = { ...finding, nextSteps: finding.nextSteps.filter((s) => s.command !== step.command) };
    expect(count(explainFinding(older, report, host).nextSteps)).toBe(1);
    // Without its host (whose login the sudoers line names), the finding's own steps only.
    expect(explainFinding(older, report).nextSteps).toEqual(older.nextSteps);
  });

  it('Prometheus labels the access state', () => {
    expect(renderReport(report, 'prometheus')).toContain('access="sudo-required"');
  });
});
