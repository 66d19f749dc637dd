// The deploy gate on the real lab fleet (systemd 247/252/257 in systemd-nspawn, real sshd):
// a policy whose waivers are written from the scenarios' ground truth — never from sockaudit's
// own report — waiving all but one finding fails the gate naming that one; waiving all passes;
// a waiver that has expired fails again; the passing run as a baseline passes the next run.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { FleetReport } from '../../src/model/types.js';
import { runBuiltCli, type CliRun } from '../helpers/run-cli.js';
import { readFleetDefinition } from './fleet-config.js';
import { expectFleet, type ExpectedFinding } from './truth/expect-fleet.js';

const fleet = inject('labFleet');
const expected = expectFleet(readFleetDefinition(fleet), fleet);
const unknownHosts = expected.summary.hostsUnknown;
const today = '2030-01-01';
const dir = fleet.stateDir;

/** A YAML single-quoted scalar: no escapes inside, so `lab\x2descaped.socket` stays as it is. */
const quoted = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** One waiver per finding (host, unit and kind exactly), expiring on `expiresOf(finding)`. */
async function policyWaiving(name: string, findings: readonly ExpectedFinding[], expiresOf: (f: ExpectedFinding) => string): Promise<string> {
  const waivers = findings.map((f) =>
    [`  - hosts: ${quoted(f.host)}`, `    units: ${quoted(f.unit)}`, `    kind: ${f.kind}`, `    reason: ${quoted(`lab scenario: ${f.cause} on ${f.host}`)}`, '    owner: e2e', `    expires: ${expiresOf(f)}`].join('\n'),
  );
  // The lab's unreachable hosts are unknown on purpose: tolerated, so only findings decide.
  const text = `thresholds:\n  max_unknown: ${unknownHosts}\nwaivers:\n${waivers.join('\n')}\n`;
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function audit(args: string[], name: string): Promise<{ run: CliRun; report: FleetReport; table: string }> {
  const json = join(dir, `${name}.json`);
  const table = join(dir, `${name}.txt`);
  const run = await runBuiltCli(['audit', '-i', fleet.inventory, '-f', 'json', '-o', json, '--report', `table:${table}`, ...args], { timeoutMs: 170_000, env: { SOCKAUDIT_NOW: today } });
  let report: FleetReport;
  try {
    report = JSON.parse(await readFile(json, 'utf8')) as FleetReport;
  } catch {
    throw new Error(`sockaudit ${args.join(' ')} wrote no JSON report (exit ${run.code}).\nstderr: ${run.stderr.slice(0, 2000)}`);
  }
  return { run, report, table: await readFile(table, 'utf8') };
}

const id = (f: { host: string; unit: string; kind: string }): string => `${f.host} ${f.unit} ${f.kind}`;
/** Findings the gate counts: not waived, and at or above warning (the default gate). */
const failing = (report: FleetReport): string[] => report.findings.filter((f) => f.gate?.waived !== true && f.severity !== 'notice').map(id);

describe('the gate on the real fleet (built CLI, --policy with waivers from the ground truth)', () => {
  // The one finding left unwaived: a socket that really failed.
  const kept = expected.findings.find((f) => f.kind === 'socket-failed' && f.severity === 'critical');

  it('the fleet has failures to waive', () => {
    expect(kept).toBeDefined();
    expect(expected.findings.length).toBeGreaterThan(1);
  });

  it('waiving all findings but one: exit 1, and that one is the only finding failing the gate', async () => {
    const others = expected.findings.filter((f) => f !== kept);
    const policy = await policyWaiving('all-but-one.yaml', others, () => '2099-01-01');
    const { run, report, table } = await audit(['--policy', policy], 'all-but-one');
    expect(run.code, run.stderr).toBe(1);
    expect(failing(report)).toEqual([id(kept ?? expect.fail('no kept finding'))]);
    expect(report.findings.filter((f) => f.gate?.waived === true).map(id).sort()).toEqual(others.map(id).sort());
    expect(table).toMatch(/Gate FAIL: 1 finding fails the gate/);
    expect(table).toContain(kept?.host);
    expect(run.stderr).toBe('');
  });

  it('waiving all: exit 0, every finding still in the report, marked waived', async () => {
    const policy = await policyWaiving('all.yaml', expected.findings, () => '2099-01-01');
    const { run, report, table } = await audit(['--policy', policy], 'all');
    expect(run.code, run.stderr).toBe(0);
    expect(report.findings.map(id).sort()).toEqual(expected.findings.map(id).sort());
    expect(report.findings.every((f) => f.gate?.waived === true)).toBe(true);
    expect(report.gate?.waivers.every((w) => w.matched === 1)).toBe(true);
    expect(table).toMatch(new RegExp(`Gate PASS · fails on warning and above · ${unknownHosts} unknown \\(${unknownHosts} tolerated\\) · ${expected.findings.length} waived`));
  });

  it('one waiver expired: exit 1, naming its finding with "waiver expired on", and saying so on stderr', async () => {
    const policy = await policyWaiving('expired.yaml', expected.findings, (f) => (f === kept ? today : '2099-01-01'));
    const { run, report, table } = await audit(['--policy', policy], 'expired');
    expect(run.code, run.stderr).toBe(1);
    expect(failing(report)).toEqual([id(kept ?? expect.fail('no kept finding'))]);
    expect(report.findings.find((f) => id(f) === id(kept ?? expect.fail('no kept finding')))?.gate?.waiver).toMatchObject({ expires: today, expired: true });
    expect(table).toContain(`waiver expired on ${today}`);
    expect(run.stderr).toMatch(new RegExp(`^sockaudit: warning: waiver .+expired\\.yaml:\\d+ \\(.+ on ${kept?.host} \\[socket-failed\\], owner e2e\\) expired on ${today}: its finding is waived no more$`, 'm'));
  });

  it('the plain run as a baseline: nothing is new, exit 0; sockaudit diff of the two runs finds nothing new', async () => {
    const first = await audit(['--max-unknown', String(unknownHosts)], 'baseline');
    expect(first.run.code).toBe(1);
    const second = await audit(['--baseline', join(dir, 'baseline.json'), '--max-unknown', String(unknownHosts)], 'against-baseline');
    expect(second.run.code, second.run.stderr).toBe(0);
    expect(second.report.findings.every((f) => f.gate?.baseline === 'persisting')).toBe(true);
    const diff = await runBuiltCli(['diff', join(dir, 'baseline.json'), join(dir, 'against-baseline.json'), '-f', 'json']);
    expect(diff.code, diff.stdout).toBe(0);
    expect((JSON.parse(diff.stdout) as { summary: { persisting: number } }).summary.persisting).toBe(expected.findings.length);
  });
});
