// --policy, --baseline and the gate on the built CLI: bad input is exit 2 before any host is
// contacted; every combination of waiver, baseline, thresholds and unknown hosts gives the exit
// code of the one exit-code function; a saved run keeps its gate through `sockaudit report`.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import type { FleetReport } from '../../src/model/types.js';
import { readFleetReport } from '../../src/report/read-fleet-report.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderJsonl } from '../../src/report/render-jsonl.js';
import { audited, makeService, makeSocket, unknown } from '../helpers/model-factories.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { startFakeFleet, type FakeFleet } from './fake-fleet.js';

let fleet: FakeFleet;
const file = (name: string): string => fleet.dir.file(name);

async function writePolicy(name: string, text: string): Promise<string> {
  await writeFile(file(name), text);
  return file(name);
}

beforeAll(async () => {
  fleet = await startFakeFleet(['web-1', 'web-3']);
});

afterAll(async () => {
  await fleet.close();
});

describe('bad gate input: exit 2, reported with its place, and no host contacted', () => {
  it.each([
    ['a date that is a word', 'waivers:\n  - hosts: "*"\n    units: shop-api.socket\n    reason: r\n    expires: soon\n', [], /policy\.yaml:5 waivers\[0\]\.expires: expected a date YYYY-MM-DD, got "soon"/],
    ['an unknown kind', 'waivers:\n  - hosts: "*"\n    units: "*"\n    kind: socket-fail\n    reason: r\n    expires: 2027-01-01\n', [], /policy\.yaml:4 waivers\[0\]\.kind: unknown finding kind "socket-fail"\n {4}hint: did you mean "socket-failed"\?/],
    ['a group the inventory does not have', 'required:\n  - hosts: "@wbe"\n    unit: nginx.socket\n', [], /policy\.yaml:2 required\[0\]\.hosts: no group "wbe" in the inventory/],
    ['an unreadable policy', null, [], /cannot read the policy: no such file/],
    ['a baseline that is not a report', '', ['--baseline', '/etc/hostname'], /hostname.*(not valid JSON|not a sockaudit report)/],
    ['a missing baseline', '', ['--baseline', '/nonexistent/run.json'], /--baseline: cannot read the baseline: no such file/],
    ['a bad --warn-before-days', '', ['--warn-before-days', 'soon'], /--warn-before-days: expected a number of days 0–3650, got "soon"/],
  ])('%s', async (_name, text, extra, message) => {
    const policy = text === null ? file('missing.yaml') : await writePolicy('policy.yaml', text === '' ? 'waivers: []\n' : text);
    const before = fleet.connections();
    const run = await runBuiltCli(['audit', '-i', await fleet.inventory(['web-1']), '--policy', policy, ...extra]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(fleet.connections()).toBe(before);
  });

  it('refuses a SOCKAUDIT_NOW (test-only clock) that is not a date', async () => {
    const run = await runBuiltCli(['audit', '-i', await fleet.inventory(['web-1'])], { env: { SOCKAUDIT_NOW: 'tomorrow' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SOCKAUDIT_NOW: expected a date YYYY-MM-DD or an ISO 8601 time, got "tomorrow"');
  });
});

describe('a live audit with a policy (built CLI, in-process hosts)', () => {
  it('a required socket missing fails the gate; a waiver for it turns it green, with the policy in every format', async () => {
    const required = 'required:\n  - hosts: "web-*"\n    unit: nginx.socket\n    listen: [80]\n';
    const red = await runBuiltCli(['audit', '-i', await fleet.inventory(['web-1']), '--policy', await writePolicy('req.yaml', required), '-f', 'json']);
    expect(red.code).toBe(1);
    const report = JSON.parse(red.stdout) as FleetReport;
    expect(report.findings.map((f) => `${f.host} ${f.unit} ${f.kind} ${f.severity}`)).toEqual(['web-1 nginx.socket required-socket-missing critical']);
    expect(report.gate?.required).toEqual([expect.objectContaining({ unit: 'nginx.socket', checked: 1, unmet: 1 })]);
    const waived = `${required}waivers:\n  - hosts: web-1\n    units: nginx.socket\n    reason: nginx arrives with the next release\n    owner: web\n    expires: 2099-01-01\n`;
    const out = (name: string): string => file(`green-${name}`);
    const green = await runBuiltCli([
      'audit', '-i', await fleet.inventory(['web-1']), '--policy', await writePolicy('req-waived.yaml', waived), '-f', 'json', '-o', out('r.json'),
      '--report', `jsonl:${out('r.jsonl')}`, '--report', `csv:${out('r.csv')}`, '--report', `html:${out('r.html')}`, '--report', `prometheus:${out('r.prom')}`,
    ]);
    expect(green.code).toBe(0);
    const json = JSON.parse(await readFile(out('r.json'), 'utf8')) as FleetReport;
    // JSONL lines are written while the audit runs, gated per host: they read back into the same report.
    expect(readFleetReport(await readFile(out('r.jsonl'), 'utf8'), 'r.jsonl')).toEqual(json);
    expect(json.findings[0]?.gate).toEqual({ waived: true, waiver: expect.objectContaining({ reason: 'nginx arrives with the next release', owner: 'web', expires: '2099-01-01', expired: false }), baseline: null });
    expect((await readFile(out('r.csv'), 'utf8')).split('\r\n')[1]).toMatch(/,waived,,.*req-waived\.yaml:\d+,nginx arrives with the next release,web,2099-01-01,no$/);
    expect(await readFile(out('r.html'), 'utf8')).toContain('waived until 2099-01-01');
    expect(await readFile(out('r.prom'), 'utf8')).toContain('sockaudit_gate_exit_code 0');
  });

  it('policy thresholds apply, and typed flags win over them', async () => {
    const inventory = await fleet.inventory(['web-1'], ['edge-9']);
    const tolerant = await writePolicy('tolerant.yaml', 'thresholds:\n  max_unknown: 1\n');
    expect((await runBuiltCli(['audit', '-i', inventory])).code).toBe(3);
    expect((await runBuiltCli(['audit', '-i', inventory, '--policy', tolerant])).code).toBe(0);
    expect((await runBuiltCli(['audit', '-i', inventory, '--policy', tolerant, '--max-unknown', '0'])).code).toBe(3);
    // --max-unknown typed with its default value still wins.
    const strictPolicy = await writePolicy('strict.yaml', 'thresholds:\n  max_unknown: 0\n');
    expect((await runBuiltCli(['audit', '-i', inventory, '--policy', strictPolicy, '--max-unknown', '1'])).code).toBe(0);
  });

  it('a saved gated run re-renders with its gate and exits like the audit did', async () => {
    const inventory = await fleet.inventory(['web-1', 'web-3'], ['edge-9']);
    const policy = await writePolicy('saved.yaml', 'thresholds:\n  max_unknown: 1\nwaivers:\n  - hosts: web-3\n    units: shop-api.socket\n    reason: known\n    expires: 2099-01-01\n');
    const audit = await runBuiltCli(['audit', '-i', inventory, '--policy', policy, '-f', 'json', '-o', file('saved.json')]);
    expect(audit.code).toBe(0);
    const again = await runBuiltCli(['report', file('saved.json'), '-f', 'json']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(await readFile(file('saved.json'), 'utf8'));
    const table = await runBuiltCli(['report', file('saved.json')]);
    expect(table.stdout).toMatch(/Gate PASS · fails on warning and above · 1 unknown \(1 tolerated\) · 1 waived/);
    // Re-gated: --max-unknown 0 makes it incomplete; without the waiver's policy its marks stay.
    expect((await runBuiltCli(['report', file('saved.json'), '--max-unknown', '0'])).code).toBe(3);
    // Another policy replaces the saved one: no waiver, the failure fails again.
    expect((await runBuiltCli(['report', file('saved.json'), '--policy', await writePolicy('none.yaml', 'waivers: []\n'), '--max-unknown', '1'])).code).toBe(1);
  });
});

describe('every combination of waiver, baseline, thresholds and unknown hosts (sockaudit report on a saved run)', () => {
  const meta = { toolVersion: '0.1.0', startedAt: new Date('2026-11-28T10:00:00Z'), finishedAt: new Date('2026-11-28T10:00:01Z') };
  const failed = makeSocket({ unit: 'shop-api.socket', active: 'failed', sub: 'failed', result: 'resources' });
  /** web-3: shop-api.socket failed (critical); edge-1 unknown. */
  const run = assessFleet([audited({ name: 'web-3', groups: ['web'] }, { sockets: [failed], services: { 'api.service': makeService() } }), unknown({ name: 'edge-1' }, 'refused')], meta);
  const empty = assessFleet([audited({ name: 'web-3', groups: ['web'] }, { sockets: [], services: {} }), unknown({ name: 'edge-1' }, 'refused')], meta);
  const waiver = (expires: string, units = 'shop-api.socket'): string => `waivers:\n  - hosts: "@web"\n    units: ${units}\n    reason: known\n    expires: ${expires}\n`;
  const tolerate = 'thresholds:\n  max_unknown: 1\n';

  beforeAll(async () => {
    await writeFile(file('run.json'), renderJson(run));
    await writeFile(file('same.json'), renderJson(run));
    await writeFile(file('same.jsonl'), renderJsonl(run));
    await writeFile(file('empty.json'), renderJson(empty));
  });

  const rows = [
    // name, policy, baseline, extra flags, SOCKAUDIT_NOW, exit code
    ['no policy, no baseline', null, null, [], '2026-11-28', 1],
    ['no policy, unknown tolerated by flag: the finding still fails', null, null, ['--max-unknown', '1'], '2026-11-28', 1],
    ['waived, one unknown host not tolerated', waiver('2027-01-01'), null, [], '2026-11-28', 3],
    ['waived, unknown tolerated by the policy', `${tolerate}${waiver('2027-01-01')}`, null, [], '2026-11-28', 0],
    ['waived, unknown tolerated by the flag', waiver('2027-01-01'), null, ['--max-unknown', '1'], '2026-11-28', 0],
    ['waived, the policy tolerates unknown hosts, the flag does not', `${tolerate}${waiver('2027-01-01')}`, null, ['--max-unknown', '0'], '2026-11-28', 3],
    ['waived, 50% unknown tolerated', waiver('2027-01-01'), null, ['--max-unknown', '50%'], '2026-11-28', 0],
    ['waiver expires today', `${tolerate}${waiver('2026-11-28')}`, null, [], '2026-11-28', 1],
    ['waiver expires tomorrow (warned, still waives)', `${tolerate}${waiver('2026-11-29')}`, null, [], '2026-11-28', 0],
    ['waiver expired, seen with a later clock', `${tolerate}${waiver('2026-12-01')}`, null, [], '2026-12-02', 1],
    ['waiver for another unit', `${tolerate}${waiver('2027-01-01', 'other.socket')}`, null, [], '2026-11-28', 1],
    ['baseline: persisting', tolerate, 'same.json', [], '2026-11-28', 0],
    ['baseline: new', tolerate, 'empty.json', [], '2026-11-28', 1],
    ['baseline: persisting, read from a JSONL report', tolerate, 'same.jsonl', [], '2026-11-28', 0],
    ['baseline: persisting, unknown not tolerated', null, 'same.json', [], '2026-11-28', 3],
    ['baseline: persisting, but its waiver expired', `${tolerate}${waiver('2026-11-01')}`, 'same.json', [], '2026-11-28', 1],
    ['baseline: new, but waived', `${tolerate}${waiver('2027-01-01')}`, 'empty.json', [], '2026-11-28', 0],
    ['fail_on_kinds: socket-failed never', 'thresholds:\n  max_unknown: 1\n  fail_on_kinds: { socket-failed: never }\n', null, [], '2026-11-28', 0],
    ['fail_on_causes wins over fail_on_kinds', 'thresholds:\n  max_unknown: 1\n  fail_on_kinds: { socket-failed: never }\n  fail_on_causes: { unknown: warning }\n', null, [], '2026-11-28', 1],
    ['--fail-on critical still fails on a critical finding', tolerate, null, ['--fail-on', 'critical'], '2026-11-28', 1],
    ['waived, but a requirement is not met', `${tolerate}${waiver('2027-01-01')}required:\n  - hosts: "@web"\n    unit: nginx.socket\n`, null, [], '2026-11-28', 1],
  ] as const;

  it.each(rows.map(([name, ...rest]) => [`${name} → exit ${rest[4]}`, ...rest] as const))('%s', async (_name, policy, baseline, extra, now, code) => {
    const args = ['report', file('run.json'), ...extra];
    if (policy !== null) args.push('--policy', await writePolicy('matrix.yaml', policy));
    if (baseline !== null) args.push('--baseline', file(baseline));
    const result = await runBuiltCli(args, { env: { SOCKAUDIT_NOW: now } });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(code);
  });
});
