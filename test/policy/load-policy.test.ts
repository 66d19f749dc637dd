// The policy file: every key read into the Policy the gate uses, and every mistake reported
// with file, line, YAML path, what was expected and what was found — the inventory's quality.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigIssue } from '../../src/model/config-error.js';
import { causeIds } from '../../src/model/types.js';
import { checkPolicyGroups, loadPolicy, parsePolicy } from '../../src/policy/load-policy.js';
import { issuesOf, lines } from '../inventory/helpers.js';

const examplePath = fileURLToPath(new URL('../../policy.example.yaml', import.meta.url));

/** Every issue as the CLI prints it, hints included. */
function errors(text: string, file = 'policy.yaml'): string[] {
  return issuesOf(() => parsePolicy(text, file, { env: {} })).map(formatConfigIssue);
}

describe('parsePolicy: what a valid policy becomes', () => {
  it('reads thresholds, waivers and requirements, each with where it is written', () => {
    const policy = parsePolicy(
      lines(
        'warn_before_days: 10', // 1
        'thresholds:', // 2
        '  max_unknown: 10%', // 3
        '  fail_on: critical', // 4
        '  fail_on_kinds: { socket-masked: never, service-failed: notice }', // 5
        '  fail_on_causes:', // 6
        '    unknown: warning', // 7
        'waivers:', // 8
        '  - hosts: "@web"', // 9
        '    units: shop-api.socket', // 10
        '    kind: [socket-failed, required-socket-inactive]', // 11
        '    cause: port-in-use', // 12
        '    reason: JIRA-1', // 13
        '    expires: 2026-12-31', // 14
        '    owner: web-team', // 15
        '  - hosts: [web-*, db-1]', // 16
        '    units: "*.socket"', // 17
        '    reason: everything on these', // 18
        '    expires: 2026-01-01', // 19
        'required:', // 20
        '  - hosts: "@web"', // 21
        '    unit: nginx.socket', // 22
        '    listen: ["0.0.0.0:80", 443]', // 23
        '  - hosts: db-1', // 24
        '    unit: pgbouncer.socket', // 25
        '    state: loaded', // 26
        '    severity: warning', // 27
      ),
      'policy.yaml',
      { env: {} },
    );
    expect(policy).toEqual({
      file: 'policy.yaml',
      warnBeforeDays: 10,
      thresholds: { maxUnknown: { percent: 10 }, failOn: 'critical', failOnKinds: { 'socket-masked': 'never', 'service-failed': 'notice' }, failOnCauses: { unknown: 'warning' } },
      waivers: [
        { index: 0, where: 'policy.yaml:9', path: 'waivers[0]', hosts: ['@web'], units: ['shop-api.socket'], kinds: ['socket-failed', 'required-socket-inactive'], causes: ['port-in-use'], reason: 'JIRA-1', owner: 'web-team', expires: '2026-12-31' },
        { index: 1, where: 'policy.yaml:16', path: 'waivers[1]', hosts: ['web-*', 'db-1'], units: ['*.socket'], kinds: [], causes: [], reason: 'everything on these', owner: null, expires: '2026-01-01' },
      ],
      required: [
        { index: 0, where: 'policy.yaml:21', path: 'required[0]', hosts: ['@web'], unit: 'nginx.socket', listen: ['0.0.0.0:80', '443'], state: 'active', severity: 'critical' },
        { index: 1, where: 'policy.yaml:24', path: 'required[1]', hosts: ['db-1'], unit: 'pgbouncer.socket', listen: [], state: 'loaded', severity: 'warning' },
      ],
      groupReferences: [
        { group: 'web', file: 'policy.yaml', line: 9, path: 'waivers[0].hosts' },
        { group: 'web', file: 'policy.yaml', line: 21, path: 'required[0].hosts' },
      ],
    });
  });

  it('takes a count for max_unknown, and shares written as strings', () => {
    expect(parsePolicy('thresholds: { max_unknown: 3 }\n', 'p.yaml').thresholds.maxUnknown).toEqual({ count: 3 });
    expect(parsePolicy('thresholds: { max_unknown: "2.5%" }\n', 'p.yaml').thresholds.maxUnknown).toEqual({ percent: 2.5 });
  });

  it('shares common waiver keys through anchors and merge keys', () => {
    const policy = parsePolicy(
      lines('x-freeze: &freeze', '  reason: release freeze', '  expires: 2026-12-01', 'waivers:', '  - <<: *freeze', '    hosts: "*"', '    units: a.socket'),
      'p.yaml',
    );
    expect(policy.waivers[0]).toMatchObject({ reason: 'release freeze', expires: '2026-12-01', hosts: ['*'], units: ['a.socket'] });
  }, 10_000);

  it('policy.example.yaml (documented key by key in the README) loads', async () => {
    const policy = await loadPolicy(examplePath, { env: {} });
    expect(policy.waivers.length).toBeGreaterThan(0);
    expect(policy.required.length).toBeGreaterThan(0);
    expect(policy.thresholds.failOn).toBeDefined();
    expect(policy.warnBeforeDays).toBeDefined();
    // Every key the validator knows appears in the example, so the example documents them all.
    const text = readFileSync(examplePath, 'utf8');
    for (const key of ['warn_before_days', 'max_unknown', 'fail_on', 'fail_on_kinds', 'fail_on_causes', 'hosts', 'units', 'kind', 'cause', 'reason', 'expires', 'owner', 'unit', 'listen', 'state', 'severity']) {
      expect(text).toMatch(new RegExp(`^\\s*(- )?${key}:`, 'm'));
    }
  });
});

describe('parsePolicy: every mistake, with line, YAML path, expectation and hint', () => {
  it('reports all the mistakes of a waiver at once, top-down', () => {
    expect(
      errors(
        lines(
          'waivers:', // 1
          '  - hosts: "@web"', // 2
          '    units: shop-api', // 3
          '    kind: socket-fail', // 4
          '    cause: port-used', // 5
          '    reason: ""', // 6
          '    expires: soon', // 7
          '    ownr: x', // 8
        ),
      ),
    ).toEqual([
      'policy.yaml:3 waivers[0].units: expected a socket unit name ending in .socket, got "shop-api"\n  hint: did you mean "shop-api.socket"?',
      'policy.yaml:4 waivers[0].kind: unknown finding kind "socket-fail"\n  hint: did you mean "socket-failed"?',
      `policy.yaml:5 waivers[0].cause: unknown cause "port-used"\n  hint: one of: ${causeIds.join(', ')}`,
      'policy.yaml:6 waivers[0].reason: expected a non-empty string, got ""',
      'policy.yaml:7 waivers[0].expires: expected a date YYYY-MM-DD, got "soon"\n  hint: waivers expire on a calendar day, e.g. 2026-12-31 (UTC; it waives until the day before)',
      'policy.yaml:8 waivers[0].ownr: unknown key "ownr"\n  hint: did you mean "owner"?',
    ]);
  });

  it('the example of the brief: a date that is a word, in the 4th waiver on line 12', () => {
    const waiver = (unit: string, expires: string): string[] => [`  - hosts: "*"`, `    units: ${unit}`, `    reason: r`, `    expires: ${expires}`];
    const text = lines('waivers:', ...waiver('a.socket', '2027-01-01'), ...waiver('b.socket', '2027-01-01'), ...['  - hosts: "*"', '    units: c.socket', '    reason: r'], ...waiver('d.socket', 'soon'));
    expect(errors(text).map((e) => e.split('\n')[0])).toEqual([
      'policy.yaml:10 waivers[2]: missing required key "expires"',
      'policy.yaml:16 waivers[3].expires: expected a date YYYY-MM-DD, got "soon"',
    ]);
  });

  it.each([
    ['2026-02-30', 'expected a date YYYY-MM-DD, got "2026-02-30"', 'that day does not exist, or month and day need two digits (2026-03-09)'],
    ['2026-3-9', 'expected a date YYYY-MM-DD, got "2026-3-9"', 'that day does not exist, or month and day need two digits (2026-03-09)'],
    ['20261231', 'expected a date YYYY-MM-DD, got 20261231', 'waivers expire on a calendar day, e.g. 2026-12-31 (UTC; it waives until the day before)'],
    ['2026-12-31T00:00:00Z', 'expected a date YYYY-MM-DD, got "2026-12-31T00:00:00Z"', 'waivers expire on a calendar day, e.g. 2026-12-31 (UTC; it waives until the day before)'],
    ['[2026-12-31]', 'expected a date YYYY-MM-DD, got a list', undefined],
  ])('expires: %s', (value, message, hint) => {
    const issues = issuesOf(() => parsePolicy(lines('waivers:', '  - hosts: "*"', '    units: a.socket', '    reason: r', `    expires: ${value}`), 'policy.yaml'));
    expect(issues).toEqual([{ file: 'policy.yaml', line: 5, column: expect.any(Number) as number, path: 'waivers[0].expires', message, ...(hint === undefined ? {} : { hint }) }]);
  });

  it('requires hosts, units, reason and expires, and says what each is for', () => {
    expect(errors(lines('waivers:', '  - owner: me'))).toEqual([
      'policy.yaml:2 waivers[0]: missing required key "hosts"\n  hint: which hosts it waives: a glob, "@group", or "*" for every host',
      'policy.yaml:2 waivers[0]: missing required key "units"\n  hint: which socket units it waives: a name or a glob such as "shop-*.socket"',
      'policy.yaml:2 waivers[0]: missing required key "reason"\n  hint: say why the finding is accepted (a ticket, a plan): the report shows it next to the finding',
      'policy.yaml:2 waivers[0]: missing required key "expires"\n  hint: every waiver ends: give the day it expires, e.g. expires: 2026-12-31',
    ]);
  });

  it('checks requirements: one socket name, known state and severity, listen addresses', () => {
    expect(
      errors(
        lines(
          'required:', // 1
          '  - hosts: "*"', // 2
          '    unit: "ng*.socket"', // 3
          '    state: running', // 4
          '    severity: high', // 5
          '  - hosts: "@web"', // 6
          '    unit: nginx.service', // 7
          '    listen: "0.0.0.0:80 0.0.0.0:443"', // 8
          '  - unit: x.socket', // 9
          '    listen: []', // 10
        ),
      ),
    ).toEqual([
      'policy.yaml:3 required[0].unit: expected one socket unit name, got the pattern "ng*.socket"\n  hint: a requirement names the unit that must be there; write one entry per unit',
      'policy.yaml:4 required[0].state: unknown state "running"\n  hint: one of: active, loaded',
      'policy.yaml:5 required[0].severity: unknown severity "high"\n  hint: one of: critical, warning, notice',
      'policy.yaml:7 required[1].unit: expected a socket unit name ending in .socket, got "nginx.service"\n  hint: did you mean "nginx.socket"?',
      'policy.yaml:8 required[1].listen: expected one listen address, got "0.0.0.0:80 0.0.0.0:443"\n  hint: write several addresses as a list: ["0.0.0.0:80", "[::]:80"]',
      'policy.yaml:9 required[2]: missing required key "hosts"\n  hint: which hosts must have the socket: a glob, "@group", or "*"',
      'policy.yaml:10 required[2].listen: expected an address as systemd prints it ("0.0.0.0:80", "[::]:443", /run/x.sock) or a port, or a list of them, got a list\n  hint: an empty list would match nothing',
    ]);
  });

  it('checks thresholds against the closed catalogues', () => {
    expect(
      errors(lines('thresholds:', '  max_unknown: lots', '  fail_on: critcal', '  fail_on_kinds: { socket-faild: never, socket-masked: sometimes }', '  fail_on_causes: [unknown]', 'warn_before: 3', 'warn_before_days: -1')),
    ).toEqual([
      'policy.yaml:2 thresholds.max_unknown: expected a host count like 3 or a share like "5%", got "lots"',
      'policy.yaml:3 thresholds.fail_on: unknown severity "critcal"\n  hint: did you mean "critical"?',
      'policy.yaml:4 thresholds.fail_on_kinds.socket-faild: unknown finding kind "socket-faild"\n  hint: did you mean "socket-failed"?',
      'policy.yaml:4 thresholds.fail_on_kinds.socket-masked: unknown threshold "sometimes"\n  hint: one of: critical, warning, notice, never',
      'policy.yaml:5 thresholds.fail_on_causes: expected a map of causes to a threshold (critical, warning, notice, never), got a list',
      'policy.yaml:6 warn_before: unknown key "warn_before"\n  hint: allowed here: warn_before_days, thresholds, waivers, required',
      'policy.yaml:7 warn_before_days: expected a number of days 0–3650, got -1',
    ]);
  });

  it('explains the YAML traps of patterns: @ and * at the start of a value', () => {
    expect(errors(lines('waivers:', '  - hosts: @web'))).toEqual([
      'policy.yaml:2: YAML syntax error: Plain value cannot start with reserved character @\n  hint: YAML reserves @ at the start of a value: quote group patterns, "@web"',
    ]);
    expect(errors(lines('waivers:', '  - hosts: "*"', '    units: *.socket'))).toEqual([
      'policy.yaml:3: *.socket is read as a YAML alias, and no anchor &.socket exists\n  hint: quote a glob that starts with *: "*.socket"',
    ]);
    expect(errors(lines('waivers:', '  - hosts: *'))[0]).toMatch(/^policy\.yaml:2: YAML syntax error: .*\n {2}hint: YAML reads \* at the start of a value as an alias: quote globs, "\*" or "\*\.socket"$/);
  });

  it('refuses an empty file, a list, several documents, and wrong shapes of sections', () => {
    expect(errors('')).toEqual(['policy.yaml: the policy file is empty\n  hint: see policy.example.yaml: waivers:, required: and thresholds:']);
    expect(errors('- a\n')).toEqual(['policy.yaml:1: expected a map with waivers:, required: and thresholds:, got a list']);
    expect(errors('waivers: []\n---\nwaivers: []\n')[0]).toBe('policy.yaml:2: the file holds several YAML documents (---); a policy is one document');
    expect(errors('waivers: { hosts: x }\n')[0]).toBe('policy.yaml:1 waivers: expected a list, got a map\n  hint: write each entry as a list item:  - hosts: ...');
    expect(errors('waivers:\n  - 42\n')).toEqual(['policy.yaml:2 waivers[0]: expected a waiver (a map with hosts:, units:, reason: and expires:), got 42']);
  });

  it('reads an unreadable file as a ConfigError naming it', async () => {
    await expect(loadPolicy('/nonexistent/policy.yaml')).rejects.toThrow(ConfigError);
    await expect(loadPolicy('/nonexistent/policy.yaml')).rejects.toThrow('/nonexistent/policy.yaml: cannot read the policy: no such file');
  });
});

describe('checkPolicyGroups: @group comes from the inventory', () => {
  const policy = parsePolicy(lines('waivers:', '  - hosts: ["@web", "@dbs"]', '    units: a.socket', '    reason: r', '    expires: 2027-01-01', 'required:', '  - hosts: "@wbe"', '    unit: b.socket'), 'policy.yaml');

  it('accepts groups the inventory has', () => {
    expect(() => checkPolicyGroups(policy, ['web', 'dbs', 'wbe'])).not.toThrow();
  });

  it('names every unknown group with its line and the likeliest intended one', () => {
    expect(issuesOf(() => checkPolicyGroups(policy, ['web', 'db'])).map(formatConfigIssue)).toEqual([
      'policy.yaml:2 waivers[0].hosts[1]: no group "dbs" in the inventory\n  hint: did you mean "@db"?',
      'policy.yaml:7 required[0].hosts: no group "wbe" in the inventory\n  hint: did you mean "@web"?',
    ]);
    expect(issuesOf(() => checkPolicyGroups(policy, [])).map((i) => i.hint)).toEqual(Array(3).fill('the inventory defines no groups'));
  });
});
