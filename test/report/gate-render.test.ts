// How the terminal table and `sockaudit diff` show the gate: marks per problem, the waiver and
// its reason, the policy's notes, the gate line — and nothing of it without a gate.
import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import { defaultGatePolicy } from '../../src/model/exit-code.js';
import { applyGate } from '../../src/policy/apply-gate.js';
import { baselineFrom } from '../../src/policy/baseline.js';
import { parsePolicy } from '../../src/policy/load-policy.js';
import { diffReports } from '../../src/policy/run-diff.js';
import { renderDiff } from '../../src/report/render-diff.js';
import { renderTable } from '../../src/report/render-table.js';
import { audited, makeSocket, unknown } from '../helpers/model-factories.js';
import { hostile } from './rich-report-outcomes.js';

const meta = { toolVersion: '0.0.0', startedAt: new Date('2026-11-28T10:00:00Z'), finishedAt: new Date('2026-11-28T10:00:01Z') };
const failed = (unit: string) => makeSocket({ unit, active: 'failed', sub: 'failed', result: 'resources', triggers: [] });
const plain = assessFleet(
  [audited({ name: 'web-1', groups: ['web'] }, { sockets: [failed('api.socket'), failed('cache.socket')], services: {} }), unknown({ name: 'edge-1' }, 'refused')],
  meta,
);
const policy = parsePolicy(
  `thresholds: { max_unknown: 1 }\nwaivers:\n  - hosts: "@web"\n    units: api.socket\n    reason: ${JSON.stringify(`known ${hostile.ansi}`)}\n    owner: ops\n    expires: 2026-12-01\n  - hosts: db-*\n    units: "*"\n    reason: gone\n    expires: 2027-01-01\n`,
  'policy.yaml',
  { env: {} },
);
const previous = { ...plain, findings: plain.findings.filter((f) => f.unit === 'api.socket') };
const gated = applyGate(plain, { thresholds: { ...defaultGatePolicy, ...policy.thresholds }, policy, baseline: baselineFrom(previous, 'previous.json'), today: '2026-11-28', warnBeforeDays: 7 });

describe('the table with a gate', () => {
  const text = renderTable(gated, { color: false });

  it('marks each problem and names the waiver with its reason, control characters shown', () => {
    expect(text).toMatch(/│ failed: resources\s+│/);
    expect(text).toMatch(/│ waived until 2026-12-01\s+│/);
    expect(text).toMatch(/│ persisting\s+│/);
    expect(text).toMatch(/│ new\s+│/);
    expect(text).toContain('waived by policy.yaml:3 (owner ops): known \\x1b[31mred');
    expect(text).not.toContain('\u001b');
  });

  it('lists the policy notes and ends with the gate line before the summary line', () => {
    expect(text).toContain('Policy:\n  ! waiver policy.yaml:3 (api.socket on @web, owner ops) expires on 2026-12-01, in 3 days: fix its finding or extend it\n  - waiver policy.yaml:8 (* on db-*) matched no finding of this run (stale): remove it, or check its patterns');
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-2)).toBe(
      'Gate FAIL: 1 finding fails the gate · fails on warning and above · 1 unknown (1 tolerated) · 1 waived · 1 waiver expiring within 7 days · 1 stale waiver · baseline previous.json: 1 new, 1 persisting, 0 gone',
    );
    expect(lines.at(-1)).toMatch(/^2 hosts: 1 audited, 1 unknown/);
  });

  it('has no gate line, marks or notes without a gate', () => {
    const text = renderTable(plain, { color: false });
    expect(text).not.toMatch(/Gate |waived|persisting|Policy:/);
  });

  it('colours the verdict', () => {
    expect(renderTable(gated, { color: true })).toContain('\u001b[31mGate FAIL');
  });
});

describe('renderDiff', () => {
  const later = assessFleet([audited({ name: `web-1${hostile.script}` }, { sockets: [failed(`x${hostile.img}|.socket`)], services: {} }), unknown({ name: 'edge-1' }, 'dns', hostile.ansi)], meta);
  const diff = diffReports(plain, later, { old: 'old.json', new: 'new.json' });

  it('markdown keeps host strings in code spans, pipes escaped', () => {
    const md = renderDiff(diff, 'markdown');
    expect(md).toMatch(/^## sockaudit diff: ❌ 1 new finding\n/);
    expect(md.replace(/(`+)[^`]*?\1/g, '')).not.toMatch(/<script|<img/);
    expect(md).toContain('`x"><img src=x onerror=alert(1)>\\|.socket`');
  });

  it('the table shows control characters as text; JSON is the diff itself', () => {
    const table = renderDiff(diff, 'table');
    expect(table).not.toContain('\u001b');
    expect(table).toContain('Not verified (their host was not audited in the new run): 2');
    expect(JSON.parse(renderDiff(diff, 'json'))).toEqual(JSON.parse(JSON.stringify(diff)));
  });
});
