// The built CLI against the real lab fleet: systemd 247/252/257 as PID 1 in systemd-nspawn,
// real sshd, real failed sockets, and hosts that cannot be audited on purpose. The expected
// report is computed from hosts.conf and the scenario truths (truth/), never from sockaudit's
// code; the audit runs once over the whole fleet and is compared host by host.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runBuiltCli, type CliRun } from '../helpers/run-cli.js';
import { readFleetDefinition } from './fleet-config.js';
import { compareFindings, compareHost, compareHostList, compareReport, type JsonReport } from './truth/compare.js';
import { expectFleet, type AuditedExpectation, type FleetExpectation } from './truth/expect-fleet.js';
import { suiteSystemd } from './truth/image.js';

const fleet = inject('labFleet');
const definition = readFleetDefinition(fleet);
const expected = expectFleet(definition, fleet.net);
const audited = expected.hosts.filter((h): h is AuditedExpectation => h.status === 'audited');

async function audit(...extra: string[]): Promise<{ run: CliRun; report: JsonReport }> {
  const run = await runBuiltCli(['audit', '-i', fleet.inventory, '-f', 'json', ...extra], { timeoutMs: 170_000 });
  let report: JsonReport;
  try {
    report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`sockaudit ${extra.join(' ')} printed no JSON report (exit ${run.code}).\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`);
  }
  return { run, report };
}

/** The expectation for the part of the fleet that `--limit` selects. */
function only(names: string[]): FleetExpectation {
  return expectFleet(definition.filter((d) => names.includes(d.name)), fleet.net, definition);
}

let full: { run: CliRun; report: JsonReport };

beforeAll(async () => {
  full = await audit();
});

describe('one audit of the whole lab fleet (built CLI, -f json)', () => {
  it('the inventory lab.sh wrote names every host of hosts.conf, in order', () => {
    const inventory = readFileSync(fleet.inventory, 'utf8');
    const names = [...inventory.matchAll(/^ {2}- name: (\S+)$/gm)].map((m) => m[1]);
    expect(names).toEqual(expected.hosts.map((h) => h.name));
  });

  it('reports every host exactly once, in inventory order', () => {
    expect(compareHostList(expected, full.report)).toEqual([]);
  });

  it('boots mixed systemd versions: 247, 252 and 257', () => {
    const versions = new Set(audited.map((h) => h.systemdVersion));
    if (fleet.suites.length === 0) expect([...versions].sort()).toEqual(Object.values(suiteSystemd).sort());
    else expect(versions.size, `LAB_SUITES=${fleet.suites.join(' ')}`).toBeGreaterThanOrEqual(1);
  });

  describe('host by host: status, reason, systemd version, every declared socket and service', () => {
    for (const host of expected.hosts) {
      const what = host.status === 'audited' ? `audited, systemd ${host.systemdVersion}: ${host.why}` : `unknown (${host.reason}): ${host.why}`;
      it(`${host.name} — ${what}`, () => {
        expect(compareHost(host, full.report.hosts.find((h) => h.name === host.name))).toEqual([]);
      });
    }
  });

  it('findings are exactly the failed sockets of the scenarios (healthy, odd and unknown hosts have none)', () => {
    expect(expected.findings.length).toBeGreaterThan(0);
    expect(compareFindings(expected.findings, full.report.findings)).toEqual([]);
  });

  it('summary counts and exit code 1 (failed sockets win over unknown hosts)', () => {
    const s = full.report.summary;
    const { hostsTotal, hostsAudited, hostsUnknown, findings, unknownByReason } = expected.summary;
    expect({ hostsTotal: s.hostsTotal, hostsAudited: s.hostsAudited, hostsUnknown: s.hostsUnknown, findings: s.findings }).toEqual({
      hostsTotal,
      hostsAudited,
      hostsUnknown,
      findings,
    });
    expect(s.unknownByReason).toEqual(unknownByReason);
    expect(full.run.code, full.run.stderr).toBe(expected.exitCode);
    expect(expected.exitCode).toBe(1);
  });

  it.each(audited.filter((h) => h.sameMachineAs !== null).map((h) => [h.name, h.user, h.sameMachineAs ?? ''] as const))(
    '%s: the unprivileged login (%s) sees the same sockets and services as root on %s',
    (name, _user, machine) => {
      const login = full.report.hosts.find((h) => h.name === name);
      const root = full.report.hosts.find((h) => h.name === machine);
      expect(login?.status).toBe('audited');
      expect(login?.sockets).toEqual(root?.sockets);
      expect(login?.services).toEqual(root?.services);
    },
  );

  it.todo('journal evidence: root logins get journal lines for failed sockets; `auditor` (journal: no-access) gets a journal note, and stays audited');

  it('the comparison itself catches a wrong report (a test that cannot fail is a defect)', () => {
    const wrong = JSON.parse(JSON.stringify(full.report)) as JsonReport;
    const failedHost = wrong.hosts.find((h) => h.name === expected.findings[0]?.host);
    const failed = failedHost?.sockets.find((s) => s.unit === expected.findings[0]?.unit);
    if (failedHost === undefined || failed === undefined) throw new Error('no failed socket in the report to tamper with');
    failed.active = 'active';
    failed.triggers.push('extra.service');
    wrong.findings.shift();
    const unknown = wrong.hosts.find((h) => h.status === 'unknown');
    if (unknown !== undefined) unknown.reason = 'dns';
    wrong.hosts.push({ ...failedHost, name: 'stranger' });
    const problems = compareReport(expected, wrong);
    expect(problems).toEqual(
      expect.arrayContaining([
        `${failedHost.name}: ${failed.unit}: active: expected "failed", got "active"`,
        expect.stringMatching(new RegExp(`^${failedHost.name}: ${failed.unit.replace(/[.\\]/g, '\\$&')}: triggers: expected \\[`)),
        expect.stringMatching(/^missing finding: /),
        expect.stringMatching(/^hosts: stranger is not in the fleet$/),
        ...(unknown === undefined ? [] : [expect.stringMatching(new RegExp(`^${unknown.name}: reason: expected ".+", got "dns"$`))]),
      ]),
    );
  });

  it('and the real report passes the same comparison', () => {
    expect(compareReport(expected, full.report)).toEqual([]);
  });
});

describe('audits of parts of the fleet (--limit)', () => {
  it('only the hosts without failed sockets: everything audited, no findings, exit 0', async () => {
    const clean = audited.filter((h) => !expected.findings.some((f) => f.host === h.name)).map((h) => h.name);
    expect(clean.length).toBeGreaterThan(0);
    const { run, report } = await audit('--limit', clean.join(','));
    expect(compareReport(only(clean), report)).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
  });

  it('only the hosts that cannot be audited: each with its reason, no findings, exit 3', async () => {
    const bad = expected.hosts.filter((h) => h.status === 'unknown').map((h) => h.name);
    expect(bad.length).toBeGreaterThan(0);
    const { run, report } = await audit('--limit', bad.join(','));
    expect(compareHostList(only(bad), report)).toEqual([]);
    for (const h of only(bad).hosts) expect(compareHost(h, report.hosts.find((x) => x.name === h.name))).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(run.code, run.stderr).toBe(3);
  });
});
