// journal_sudo end to end, in process: inventory key → the sudo copy of the probe over real SSH →
// a host whose sudo wants a password is audited with journalAccess sudo-required, and a host whose
// sudo lets journalctl run reads its journal as before. The fake hosts answer sudo the way the
// script asked (src/demo/render-probe-output.ts).
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { FleetReport } from '../../src/model/types.js';
import { readFleetReport } from '../../src/report/read-fleet-report.js';
import { startFakeFleet, type FakeFleet } from './fake-fleet.js';

let fleet: FakeFleet;

beforeAll(async () => {
  fleet = await startFakeFleet(['web-3', 'db-2']);
});

afterAll(async () => {
  await fleet.close();
});

async function audit(extra: string, format: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await runCli(['audit', '-i', await fleet.inventory(['web-3', 'db-2'], [], extra), '-f', format, '--no-progress'], { stdout, stderr, env: {} });
  return { code, stdout: out, stderr: err };
}

// Both hosts read their journal through sudo -n: db-2's sudo wants a password, web-3's lets it run.
const bothSudo = 'groups:\n  sudoers:\n    vars: { journal_sudo: true }\n    hosts: [web-3, db-2]\n';

describe('sockaudit audit with journal_sudo (in process)', () => {
  it('reports sudo-required where sudo wants a password, keeps the host audited, and reads the journal where sudo lets it', async () => {
    const run = await audit(bothSudo, 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report: FleetReport = readFleetReport(run.stdout, 'stdout');
    const db2 = report.hosts.find((h) => h.name === 'db-2');
    expect(db2).toMatchObject({ status: 'audited', journalAccess: 'sudo-required', journalAccessDetail: 'sudo: a password is required (sudo -n /usr/bin/journalctl)' });
    const web3 = report.hosts.find((h) => h.name === 'web-3');
    expect(web3?.journalAccess).toBe('full');
    const pool = report.findings.find((f) => f.host === 'db-2');
    expect(pool?.cause.id).toBe('service-crash-loop');
    expect(pool?.evidence).toMatchObject({ journalAccess: 'sudo-required', entries: [] });
    expect(pool?.evidence.note).toContain('sudo needs a password');
    expect(report.findings.find((f) => f.host === 'web-3')?.evidence.entries.length).toBe(4);
  });

  it('without journal_sudo the same hosts read the journal directly (db-2 sees its lines)', async () => {
    const run = await audit('', 'json');
    const report: FleetReport = readFleetReport(run.stdout, 'stdout');
    expect(report.hosts.map((h) => h.journalAccess)).toEqual(['full', 'full']);
    expect(report.findings.find((f) => f.host === 'db-2')?.evidence.entries.length).toBe(3);
  });

  it('the table names the host and the sudoers line for the login user', async () => {
    const run = await audit(bothSudo, 'table');
    expect(run.stdout).toContain('journal not read: sudo needs a');
    expect(run.stdout).toContain('Journal not read through sudo -n on 1 audited host');
    expect(run.stdout).toContain('db-2: sudo needs a password');
    expect(run.stdout).toContain("fix: echo 'audit ALL=(root) NOPASSWD: /usr/bin/journalctl' | sudo tee /etc/sudoers.d/sockaudit");
  });
});
