// The built CLI end to end: what a user types, what they see, and the exit code.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFleet } from '../../src/demo/demo-fleet-spec.js';
import type { FleetReport } from '../../src/model/types.js';
import { cliPath, runBuiltCli } from '../helpers/run-cli.js';
import { startSilentServer, type SilentServer } from '../helpers/tcp.js';
import { startFakeFleet, type FakeFleet } from './fake-fleet.js';

let fleet: FakeFleet;
/** Accepts TCP and never answers: a wedged sshd. */
let silent: SilentServer;

beforeAll(async () => {
  fleet = await startFakeFleet(['web-1', 'web-2', 'web-3', 'app-2']);
  silent = await startSilentServer();
});

afterAll(async () => {
  await fleet.close();
  await silent.close();
});

function connections(): number {
  return fleet.connections() + silent.accepted;
}

describe('sockaudit (built CLI)', () => {
  it('prints help with the exit codes and exits 0', async () => {
    const run = await runBuiltCli(['audit', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--inventory <file>');
    expect(run.stdout).toMatch(/3\s+audit incomplete/);
  });

  it('exits 2 on an unknown option and on a missing inventory flag', async () => {
    expect((await runBuiltCli(['audit', '-i', 'x.yaml', '--bogus'])).code).toBe(2);
    const missing = await runBuiltCli(['audit']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-i, --inventory <file>'");
  });

  it('reports every inventory mistake with file, line and YAML path, exits 2 and contacts nothing', async () => {
    const before = connections();
    const file = await fleet.inventory(['web-1'], [], '  - { name: bad-port, address: 127.0.0.1, port: ssh }\n  - { name: web-1 }\n');
    const run = await runBuiltCli(['audit', '-i', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${file}:10 hosts[1].port: expected an integer 1–65535, got "ssh"`);
    expect(run.stderr).toMatch(new RegExp(`${file}:11 hosts\\[2\\]\\.name: duplicate host name "web-1"`));
    expect(connections()).toBe(before);
  });

  it('exits 2 when --limit selects no host, and on bad flag values', async () => {
    const file = await fleet.inventory(['web-1']);
    const run = await runBuiltCli(['audit', '-i', file, '--limit', 'db*']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--limit "db*" matched no host');
    const bad = await runBuiltCli(['audit', '-i', file, '--connect-timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--connect-timeout: expected a duration');
  });

  it('audits a healthy fleet over SSH and exits 0', async () => {
    const run = await runBuiltCli(['audit', '-i', await fleet.inventory(['web-1', 'web-2'])]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No problems on 2 audited hosts.');
    expect(run.stdout).toMatch(/2 hosts: 2 audited, 0 unknown · 16 sockets checked · no problems/);
  });

  it('exits 1 with the failed sockets, their cause and the first next step', async () => {
    const run = await runBuiltCli(['audit', '-i', await fleet.inventory(['web-1', 'web-3', 'app-2'])]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/│ shop-api\.socket\s+│ web-3\s+│ critical\s+│ Port already in use\s+│/);
    expect(run.stdout).toMatch(/│ next: ss -ltnp 'sport = :8080'\s+│/);
    expect(run.stdout).toMatch(/│ order-worker\.socket\s+│ app-2\s+│ critical\s+│ Service crash loop\s+│/);
    expect(run.stdout).toMatch(/│ failed: service-start-limit-hit │/);
    expect(run.stdout).not.toMatch(/│ web-1 /);
  });

  it('reports unreachable and hung hosts with their reason and exits 3, or 0 within --max-unknown', async () => {
    const extra = `  - { name: edge-refused, address: 127.0.0.1, port: ${fleet.refusedPort} }
  - { name: edge-hung, address: 127.0.0.1, port: ${silent.port}, connect_timeout: 500ms }
`;
    const file = await fleet.inventory(['web-1'], [], extra);
    const run = await runBuiltCli(['audit', '-i', file, '-f', 'json']);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as FleetReport;
    expect(report.hosts.map((h) => [h.name, h.status, h.reason])).toEqual([
      ['web-1', 'audited', undefined],
      ['edge-refused', 'unknown', 'refused'],
      ['edge-hung', 'unknown', 'connect-timeout'],
    ]);
    expect((await runBuiltCli(['audit', '-i', file, '--max-unknown', '2'])).code).toBe(0);
    expect((await runBuiltCli(['audit', '-i', file, '--max-unknown', '50%'])).code).toBe(3);
  });

  it('writes JSON with -o and extra reports with --report, keeping stdout free', async () => {
    const out = fleet.dir.file('out', 'audit.json');
    const table = fleet.dir.file('out', 'audit.txt');
    const run = await runBuiltCli(['audit', '-i', await fleet.inventory(['web-3']), '-f', 'json', '-o', out, '--report', `table:${table}`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const report = JSON.parse(await readFile(out, 'utf8')) as FleetReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ host: 'web-3', unit: 'shop-api.socket', kind: 'socket-failed', result: 'resources' })]);
    expect(report.findings[0]?.cause).toMatchObject({ id: 'port-in-use', basis: 'journal-errno' });
    expect(report.findings[0]?.evidence.entries.some((e) => e.errno === 98)).toBe(true);
    expect(report.findings[0]?.nextSteps[0]?.command).toBe("ss -ltnp 'sport = :8080'");
    expect(await readFile(table, 'utf8')).toContain('Problems: 1 on 1 host');
  });

  it('--dry-run prints the hosts and the probe and contacts nothing', async () => {
    const before = connections();
    const run = await runBuiltCli(['audit', '-i', await fleet.inventory(['web-1', 'web-2']), '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# 2 host\(s\) would be audited:\n# web-1\taudit@127\.0\.0\.1:\d+\n# web-2/);
    expect(run.stdout).toContain('systemctl show --no-pager -p Id,');
    expect(connections()).toBe(before);
  });
});

describe('sockaudit demo (built CLI)', () => {
  it('audits the demo fleet: failed sockets, unknown hosts with reasons, a JSON report, exit 1', async () => {
    const run = await runBuiltCli(['demo']);
    // 15 hosts in flight at once: no Node warning (MaxListeners on the shared abort signal).
    expect(run.stderr).not.toMatch(/Warning|warning:/);
    expect(run.code).toBe(1);
    for (const unit of ['order-worker.socket', 'ingest.socket', 'shop-api.socket', 'mail-submit.socket']) expect(run.stdout).toContain(unit);
    for (const cause of ['Port already in use', 'Service crash loop', 'Trigger limit hit', 'Service unit missing']) expect(run.stdout).toContain(cause);
    expect(run.stdout).toMatch(/│ web-4\s+│ 127\.0\.0\.1:\d+\s+│ host-key-mismatch/);
    expect(run.stdout).toMatch(/│ edge-1\s+│ 127\.0\.0\.1:\d+\s+│ refused/);
    expect(run.stdout).toMatch(/│ legacy-1\s+│ 127\.0\.0\.1:\d+\s+│ no-systemd/);
    expect(run.stdout).toContain('15 hosts: 12 audited, 3 unknown');
    // db-2 reads its journal through sudo -n, and its sudo wants a password.
    expect(run.stdout).toContain('db-2: sudo needs a password — sudo: a password is required (sudo -n /usr/bin/journalctl)');
    const jsonPath = /JSON report written to (\S+)/.exec(run.stderr)?.[1];
    expect(jsonPath).toBeDefined();
    const report = JSON.parse(await readFile(jsonPath ?? '', 'utf8')) as FleetReport;
    expect(report.hosts.map((h) => h.name)).toEqual(demoFleet.map((h) => h.name));
    expect(report.findings.map((f) => `${f.host} ${f.unit} ${f.kind} ${f.result} ${f.cause.id}`).sort()).toEqual([
      'app-2 order-worker.socket socket-failed service-start-limit-hit service-crash-loop',
      'app-3 order-worker.socket socket-failed service-start-limit-hit service-crash-loop',
      'db-2 pgbouncer.socket socket-failed service-start-limit-hit service-crash-loop',
      'mail-1 mail-submit.socket service-missing success missing-service-unit',
      'queue-1 ingest.socket socket-failed trigger-limit-hit trigger-limit-hit',
      'web-3 shop-api.socket socket-failed resources port-in-use',
    ]);
    expect(report.summary.unknownByReason).toEqual({ 'host-key-mismatch': 1, refused: 1, 'no-systemd': 1 });
    expect(report.hosts.filter((h) => h.journalAccess === 'sudo-required').map((h) => h.name)).toEqual(['db-2']);
    // The database hosts are known only to the bastion, and audited through it.
    expect(report.hosts.filter((h) => h.address.endsWith('.internal')).map((h) => [h.name, h.status])).toEqual([
      ['db-1', 'audited'],
      ['db-2', 'audited'],
    ]);
  });
});

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('output to a reader that goes away (built CLI)', () => {
  it('stops quietly on EPIPE, as `sockaudit … | head` needs', async () => {
    const child = spawn(process.execPath, [cliPath, 'audit', '-i', join(repoRoot, 'inventory.example.yaml'), '-F', 'none', '--dry-run'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader is gone before the first write.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('--dry-run shows the hops to each host behind a jump host', async () => {
    const run = await runBuiltCli(['audit', '-i', join(repoRoot, 'inventory.example.yaml'), '-F', 'none', '--dry-run']);
    expect(run.stdout).toContain('# app-2\troot@10.30.0.12:22 via ops@203.0.113.10:22 → ops@inner-gw.example.net:2222\n');
  });
});
