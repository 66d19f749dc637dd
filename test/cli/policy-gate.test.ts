// The deploy gate end to end, on the built CLI against an in-process fleet: "40 failures, 38
// known" → 38 documented, expiring waivers and a green gate → red for a 39th failure, and red
// again when a waiver expires; the same with a baseline; `sockaudit diff` between the runs.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetReport } from '../../src/model/types.js';
import { startFailingFleet, type FailingFleet } from '../helpers/failing-fleet.js';
import { runBuiltCli, type CliRun } from '../helpers/run-cli.js';

const units = ['api.socket', 'metrics.socket', 'cache.socket'];
const names = [...Array.from({ length: 10 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`), ...Array.from({ length: 10 }, (_, i) => `app-${String(i + 1).padStart(2, '0')}`)];
/** Every host starts with api and metrics failed: 40 failures. */
const initial = names.map((name) => ({ name, groups: [name.startsWith('web') ? 'web' : 'app'], sockets: units, failing: ['api.socket', 'metrics.socket'] }));
/** The two failures the team does not accept, and fixes instead. */
const unknownToTeam = ['web-07 metrics.socket', 'app-03 api.socket'];
const today = '2026-11-28';

let fleet: FailingFleet;
let inventory: string;
/** 38 waivers, one per known failure; the one for web-02 api.socket expires first. */
let policy: string;
const file = (name: string): string => fleet.dir.file(name);

function waiverYaml(failure: string): string {
  const [host = '', unit = ''] = failure.split(' ');
  const expires = failure === 'web-02 api.socket' ? '2026-12-10' : '2027-03-31';
  return [`  - hosts: ${host}`, `    units: ${unit}`, '    kind: socket-failed', `    reason: "Known port clash on ${host}, OPS-${host.slice(-2)}${unit.length}"`, `    owner: team-${host.slice(0, 3)}`, `    expires: ${expires}`].join('\n');
}

async function audit(...extra: string[]): Promise<{ run: CliRun; report: FleetReport }> {
  const out = file(`run-${Math.random().toString(36).slice(2)}.json`);
  const run = await runBuiltCli(['audit', '-i', inventory, '--report', `json:${out}`, ...extra], { env: { SOCKAUDIT_NOW: today } });
  const report = JSON.parse(await readFile(out, 'utf8')) as FleetReport;
  return { run, report };
}

const failingGate = (report: FleetReport): string[] =>
  report.findings.filter((f) => f.gate?.waived !== true && !(f.gate?.baseline === 'persisting' && f.gate.waiver?.expired !== true)).map((f) => `${f.host} ${f.unit}`);

beforeAll(async () => {
  fleet = await startFailingFleet(initial);
  inventory = await fleet.inventory();
  const known = fleet.failing().filter((f) => !unknownToTeam.includes(f));
  expect(known).toHaveLength(38);
  policy = file('policy.yaml');
  await writeFile(policy, `# 38 known failures, each waived until it is fixed\nwaivers:\n${known.map(waiverYaml).join('\n')}\n`);
});

afterAll(async () => {
  await fleet.close();
});

describe('from 40 failures, 38 known, to a green gate — and back to red (built CLI, 20 in-process hosts)', () => {
  it('without a policy: 40 failures, exit 1', async () => {
    const { run, report } = await audit();
    expect(run.code).toBe(1);
    expect(report.findings).toHaveLength(40);
    expect(run.stdout).toMatch(/Gate FAIL: 40 findings fail the gate/);
  });

  it('38 waivers: exit 1 naming exactly the 2 unaccepted failures; the waived 38 are still reported', async () => {
    const { run, report } = await audit('--policy', policy);
    expect(run.code).toBe(1);
    expect(report.findings).toHaveLength(40);
    expect(failingGate(report).sort()).toEqual([...unknownToTeam].sort());
    expect(report.findings.filter((f) => f.gate?.waived === true)).toHaveLength(38);
    expect(run.stdout).toMatch(/Gate FAIL: 2 findings fail the gate · fails on warning and above · 38 waived/);
    expect(run.stdout).toMatch(/│ web-02\s+│ critical\s+│/);
    expect(run.stdout).toContain('waived until 2026-12-10');
    expect(run.stderr).toBe('');
  });

  it('the 2 fixed: green (exit 0) with 38 documented, expiring waivers, each shown with its reason and owner', async () => {
    fleet.setFailing('web-07', ['api.socket']);
    fleet.setFailing('app-03', ['metrics.socket']);
    const { run, report } = await audit('--policy', policy, '--report', `markdown:${file('summary.md')}`, '--report', `junit:${file('junit.xml')}`, '-f', 'table');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(report.findings).toHaveLength(38);
    expect(report.findings.every((f) => f.gate?.waived === true)).toBe(true);
    expect(report.findings.find((f) => f.host === 'app-10' && f.unit === 'metrics.socket')?.gate?.waiver).toMatchObject({ reason: 'Known port clash on app-10, OPS-1014', owner: 'team-app', expires: '2027-03-31', expired: false });
    expect(report.gate?.waivers.every((w) => w.matched === 1 && w.state === 'active')).toBe(true);
    expect(run.stdout).toMatch(/Gate PASS · fails on warning and above · 38 waived/);
    // The table shows whose acceptance each waiver is, and why (wrapped inside its cell).
    const cells = run.stdout.replace(/[│\s]+/g, ' ');
    expect(cells).toContain('(owner team-app): Known port clash on app-10, OPS-1014');
    const md = await readFile(file('summary.md'), 'utf8');
    expect(md).toContain('**✅ Gate PASS** · fails on warning and above · 38 waived');
    expect(md).toContain('| ✅ waived until 2027-03-31 | 🔴 critical | `app-01` | `api.socket` |');
    const junit = await readFile(file('junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="sockaudit" tests="\d+" failures="0" errors="0" skipped="38"/);
    await writeFile(file('green.json'), JSON.stringify(report));
  });

  it('a 39th socket fails: exit 1, naming it; the 38 stay waived', async () => {
    fleet.setFailing('app-05', ['api.socket', 'metrics.socket', 'cache.socket']);
    try {
      const { run, report } = await audit('--policy', policy);
      expect(run.code).toBe(1);
      expect(failingGate(report)).toEqual(['app-05 cache.socket']);
      expect(report.findings.filter((f) => f.gate?.waived === true)).toHaveLength(38);
      expect(run.stdout).toMatch(/Gate FAIL: 1 finding fails the gate/);
      expect(run.stdout).toMatch(/│ cache\.socket\s+│ app-05\s+│ critical\s+│ Port already in use/);
      await writeFile(file('red.json'), JSON.stringify(report));
    } finally {
      fleet.setFailing('app-05', ['api.socket', 'metrics.socket']);
    }
  });

  it('a waiver expires: exit 1 from its expiry day on, its finding shown with "waiver expired on"', async () => {
    const run = await runBuiltCli(['audit', '-i', inventory, '--policy', policy, '-f', 'json'], { env: { SOCKAUDIT_NOW: '2026-12-10' } });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as FleetReport;
    expect(failingGate(report)).toEqual(['web-02 api.socket']);
    expect(report.findings.find((f) => f.host === 'web-02' && f.unit === 'api.socket')?.gate).toMatchObject({ waived: false, waiver: { expires: '2026-12-10', expired: true } });
    expect(run.stderr).toMatch(/^sockaudit: warning: waiver .+policy\.yaml:\d+ \(api\.socket on web-02 \[socket-failed\], owner team-web\) expired on 2026-12-10: its finding is waived no more$/m);
    // The day before, it still waives — with a warning on stderr, and the gate is green.
    const eve = await runBuiltCli(['audit', '-i', inventory, '--policy', policy], { env: { SOCKAUDIT_NOW: '2026-12-07' } });
    expect(eve.code).toBe(0);
    expect(eve.stderr).toMatch(/^sockaudit: warning: waiver .+ \(api\.socket on web-02 \[socket-failed\], owner team-web\) expires on 2026-12-10, in 3 days: fix its finding or extend it$/m);
    expect(eve.stdout).toContain('! waiver');
    expect(eve.stdout).toMatch(/1 waiver expiring within 7 days/);
    // --warn-before-days narrows the window: no warning 3 days ahead with a 2-day window.
    const quiet = await runBuiltCli(['audit', '-i', inventory, '--policy', policy, '--warn-before-days', '2'], { env: { SOCKAUDIT_NOW: '2026-12-07' } });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('with the green run as baseline and no policy: green while nothing is new, red for the 39th', async () => {
    const same = await audit('--baseline', file('green.json'));
    expect(same.run.code).toBe(0);
    expect(same.report.findings.every((f) => f.gate?.baseline === 'persisting')).toBe(true);
    expect(same.run.stdout).toMatch(/baseline .+green\.json: 0 new, 38 persisting, 0 gone/);
    fleet.setFailing('app-05', ['api.socket', 'metrics.socket', 'cache.socket']);
    try {
      const worse = await audit('--baseline', file('green.json'));
      expect(worse.run.code).toBe(1);
      expect(failingGate(worse.report)).toEqual(['app-05 cache.socket']);
      expect(worse.report.findings.find((f) => f.unit === 'cache.socket')?.gate?.baseline).toBe('new');
    } finally {
      fleet.setFailing('app-05', ['api.socket', 'metrics.socket']);
    }
  });

  it('sockaudit diff green.json red.json: the 39th is new (exit 1); the other way round it is resolved (exit 0)', async () => {
    const forward = await runBuiltCli(['diff', file('green.json'), file('red.json')]);
    expect(forward.code).toBe(1);
    expect(forward.stdout).toMatch(/: 1 new finding\n/);
    expect(forward.stdout).toMatch(/New findings: 1\n[\s\S]*│ app-05\s+│ cache\.socket\s+│ Socket unit failed\s+│ critical\s+│ Port already in use\s+│/);
    expect(forward.stdout).toContain('1 new, 0 resolved, 38 persisting, 0 not verified');
    const back = await runBuiltCli(['diff', file('red.json'), file('green.json'), '-f', 'json']);
    expect(back.code).toBe(0);
    const diff = JSON.parse(back.stdout) as { summary: Record<string, number>; findings: { resolved: { host: string; unit: string }[] } };
    expect(diff.summary).toMatchObject({ newFindings: 0, resolved: 1, persisting: 38 });
    expect(diff.findings.resolved).toEqual([expect.objectContaining({ host: 'app-05', unit: 'cache.socket' })]);
    const md = await runBuiltCli(['diff', file('green.json'), file('red.json'), '-f', 'markdown']);
    expect(md.stdout).toMatch(/^## sockaudit diff: ❌ 1 new finding\n/);
    expect(md.stdout).toContain('| `app-05` | `cache.socket` | Socket unit failed | critical | Port already in use |');
  });
});
