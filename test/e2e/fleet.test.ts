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
import type { Severity } from './truth/types.js';

const fleet = inject('labFleet');
const definition = readFleetDefinition(fleet);
const expected = expectFleet(definition, fleet);
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

/** The expectation for the part of the fleet that `--limit` selects, with the gate of `--fail-on`. */
function only(names: string[], failOn: Severity = 'warning'): FleetExpectation {
  return expectFleet(definition.filter((d) => names.includes(d.name)), fleet, definition, failOn);
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
    const sorted = (v: Iterable<number>) => [...v].sort((a, b) => a - b);
    if (fleet.suites.length === 0) expect(sorted(versions)).toEqual(sorted(Object.values(suiteSystemd)));
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

  it('findings are exactly what the scenarios declare: kind, severity, Result, cause, journal evidence (healthy sockets and unknown hosts have none)', () => {
    expect(expected.findings.filter((f) => f.kind === 'socket-failed').length).toBeGreaterThan(0);
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
    '%s: the unprivileged login (%s) sees the same sockets and services as root on %s (only the journal is closed to it)',
    (name, _user, machine) => {
      const login = full.report.hosts.find((h) => h.name === name);
      const root = full.report.hosts.find((h) => h.name === machine);
      expect(login?.status).toBe('audited');
      expect(login?.sockets).toEqual(root?.sockets);
      expect(login?.services).toEqual(root?.services);
    },
  );

  // With more than 10 hosts in flight this also guards against Node's MaxListeners warning
  // for the run's shared abort signal.
  it('prints nothing on stderr (no progress off a TTY, no Node warnings)', () => {
    expect(full.run.stderr).toBe('');
  });

  it('the comparison itself catches a wrong report (a test that cannot fail is a defect)', () => {
    const wrong = JSON.parse(JSON.stringify(full.report)) as JsonReport;
    const target = expected.findings.find((f) => f.kind === 'socket-failed');
    const failedHost = wrong.hosts.find((h) => h.name === target?.host);
    const failed = failedHost?.sockets.find((s) => s.unit === target?.unit);
    if (failedHost === undefined || failed === undefined) throw new Error('no failed socket in the report to tamper with');
    failed.active = 'active';
    failed.triggers.push('extra.service');
    wrong.findings = wrong.findings.filter((f) => !(f.host === target?.host && f.unit === target.unit));
    const other = wrong.findings.find((f) => f.cause !== undefined);
    if (other?.cause !== undefined) other.cause.id = 'made-up';
    const unknown = wrong.hosts.find((h) => h.status === 'unknown');
    if (unknown !== undefined) unknown.reason = 'dns';
    wrong.hosts.push({ ...failedHost, name: 'stranger' });
    const problems = compareReport(expected, wrong);
    expect(problems).toEqual(
      expect.arrayContaining([
        `${failedHost.name}: ${failed.unit}: active: expected "failed", got "active"`,
        expect.stringMatching(new RegExp(`^${failedHost.name}: ${failed.unit.replace(/[.\\]/g, '\\$&')}: triggers: expected \\[`)),
        expect.stringMatching(new RegExp(`^missing finding: ${failedHost.name} `)),
        ...(other === undefined ? [] : [expect.stringMatching(/: cause: expected ".+", got "made-up"$/)]),
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
  // Nothing has failed on them; their MaxConnections socket's refusals are a warning, which the
  // default gate (--fail-on warning) counts and --fail-on critical does not.
  it('only the healthy hosts: all audited; exit 1 for their refusal warnings, exit 0 with --fail-on critical', async () => {
    const healthy = audited.filter((h) => !expected.findings.some((f) => f.host === h.name && f.severity === 'critical')).map((h) => h.name);
    expect(healthy.length).toBeGreaterThan(0);
    const gate = await audit('--limit', healthy.join(','));
    expect(compareReport(only(healthy), gate.report)).toEqual([]);
    expect(only(healthy).exitCode).toBe(1);
    expect(gate.run.code, gate.run.stderr).toBe(1);
    const relaxed = await audit('--limit', healthy.join(','), '--fail-on', 'critical');
    expect(compareReport(only(healthy, 'critical'), relaxed.report)).toEqual([]);
    expect(only(healthy, 'critical').exitCode).toBe(0);
    expect(relaxed.run.code, relaxed.run.stderr).toBe(0);
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
