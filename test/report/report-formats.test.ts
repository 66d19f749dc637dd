// Each format read back by a strict parser and checked for what its consumers rely on:
// structure, escaping of hostile host strings, and the fleet aggregation.
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import type { Finding } from '../../src/model/types.js';
import { readFleetReport } from '../../src/report/read-fleet-report.js';
import { csvColumns, renderCsv } from '../../src/report/render-csv.js';
import { renderHtml } from '../../src/report/render-html.js';
import { renderJsonl } from '../../src/report/render-jsonl.js';
import { renderJunit } from '../../src/report/render-junit.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { escapeLabelValue, renderPrometheus } from '../../src/report/render-prometheus.js';
import { audited, makeSocket } from '../helpers/model-factories.js';
import { hostile } from './rich-report-outcomes.js';
import { parseStrictCsv } from './strict-csv.js';
import { parseStrictPrometheus } from './strict-prometheus.js';

const report = readFleetReport(readFileSync(new URL('../fixtures/reports/rich-report.json', import.meta.url), 'utf8'), 'rich-report.json');
const unknownHosts = report.hosts.filter((h) => h.status === 'unknown');

describe('CSV', () => {
  const rows = parseStrictCsv(renderCsv(report));
  const [header, ...records] = rows;
  const cell = (record: string[], column: (typeof csvColumns)[number]): string => record[csvColumns.indexOf(column)] ?? '';

  it('is RFC 4180 with the documented columns, one row per finding plus one per unknown host', () => {
    expect(header).toEqual([...csvColumns]);
    expect(records).toHaveLength(report.findings.length + unknownHosts.length);
    for (const record of records) expect(record).toHaveLength(csvColumns.length);
    expect(records.filter((r) => cell(r, 'status') === 'unknown').map((r) => [cell(r, 'host'), cell(r, 'reason')])).toEqual(unknownHosts.map((h) => [h.name, h.reason]));
  });

  it('neutralises every cell a spreadsheet would run as a formula', () => {
    for (const record of rows) for (const value of record) expect(value).not.toMatch(/^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/);
    const ingest = records.find((r) => cell(r, 'unit') === 'ingest.socket');
    expect(cell(ingest ?? [], 'description')).toBe(`'${hostile.formula}`);
    const evil = records.find((r) => cell(r, 'host') === 'db-1' && cell(r, 'unit').startsWith('evil'));
    expect(cell(evil ?? [], 'result')).toBe(`'${hostile.at}`);
    expect(cell(evil ?? [], 'listen')).toBe(`'-${hostile.formula}`);
  });

  it('keeps non-ASCII text, and shows control characters instead of passing them on', () => {
    const text = renderCsv(report);
    expect(text).toContain('注文ワーカー socket — Café ☕');
    expect(text).toContain('app-東京-2');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    expect(text).toContain('\\x1b[31mred');
  });

  it('carries cause, evidence and next steps of each finding', () => {
    const web2 = records.find((r) => cell(r, 'host') === 'web-2');
    expect(cell(web2 ?? [], 'cause')).toBe('port-in-use');
    expect(cell(web2 ?? [], 'evidence').split('\n')).toHaveLength(3);
    expect(cell(web2 ?? [], 'next_steps').split('\n')[0]).toBe("ss -ltnp 'sport = :8080'");
    const web3 = records.find((r) => cell(r, 'host') === 'web-3');
    expect(cell(web3 ?? [], 'journal_access')).toBe('none');
    expect(cell(web3 ?? [], 'evidence')).toMatch(/^\(the probe's user may not read the journal/);
  });
});

describe('JUnit XML', () => {
  const xml = renderJunit(report);
  // htmlEntities: decode numeric character references (&#10;) like any XML parser must.
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });
  interface Case { name: string; classname: string; failure?: { type: string; message: string; '#text': string }; error?: { type: string; message: string; '#text': string }; skipped?: { message: string; '#text': string } }
  interface Suite { name: string; tests: string; failures: string; errors: string; testcase: Case[] }
  const doc = parser.parse(xml) as { testsuites: { tests: string; failures: string; errors: string; skipped: string; testsuite: Suite[] } };
  const suites = doc.testsuites.testsuite;

  it('is well-formed XML 1.0', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
  });

  it('has a testsuite per host and a testcase per audited socket (and per unit a finding names that the host lacks)', () => {
    expect(suites.map((s) => s.name)).toEqual(report.hosts.map((h) => h.name));
    for (const host of report.hosts.filter((h) => h.status === 'audited')) {
      const suite = suites.find((s) => s.name === host.name);
      const lacking = report.findings.filter((f) => f.host === host.name && !host.sockets.some((s) => s.unit === f.unit)).map((f) => f.unit);
      expect(suite?.testcase.map((c) => c.name)).toEqual([...host.sockets.map((s) => s.unit), ...new Set(lacking)]);
    }
    // web-3 lacks node-metrics.socket, which the policy requires.
    expect(suites.find((s) => s.name === 'web-3')?.testcase.map((c) => c.name)).toContain('node-metrics.socket');
  });

  it('fails each socket with problems (cause in the message, evidence and next steps in the text) and errors each unknown host', () => {
    const failures = suites.flatMap((s) => s.testcase.filter((c) => c.failure !== undefined));
    const sockets = (findings: readonly Finding[]): number => new Set(findings.map((f) => `${f.host}\u0000${f.unit}`)).size;
    const allWaived = sockets(report.findings) - sockets(report.findings.filter((f) => f.gate?.waived !== true));
    expect(failures).toHaveLength(sockets(report.findings) - allWaived);
    expect(Number(doc.testsuites.failures)).toBe(failures.length);
    const web3 = suites.find((s) => s.name === 'web-3')?.testcase.find((c) => c.name === 'shop-api.socket');
    expect(web3?.failure?.message).toBe('Socket unit failed: Cause not determined; Required socket not active: Required by policy');
    expect(web3?.failure?.['#text']).toContain('systemctl enable --now shop-api.socket');
    expect(web3?.failure?.['#text']).toContain('Baseline: new since the baseline run');
    const expired = suites.find((s) => s.name === 'queue-1')?.testcase.find((c) => c.name === 'ingest.socket');
    expect(expired?.failure?.['#text']).toContain("Waiver: EXPIRED on 2026-11-01: no longer waived (policy.yaml:18): =cmd|' /C calc'!A0 ingest rewrite");
  });

  it('skips a socket whose every finding is waived, with the waiver in the message', () => {
    const skipped = suites.flatMap((s) => s.testcase.filter((c) => c.skipped !== undefined));
    expect(skipped.map((c) => `${c.classname} ${c.name}`)).toEqual(['web-2 shop-api.socket', 'app-1 order-worker.socket', 'app-東京-2 order-worker.socket', 'db-1 telnet.socket']);
    expect(Number(doc.testsuites.skipped)).toBe(skipped.length);
    const web2 = skipped[0];
    expect(web2?.skipped?.message).toBe(
      'socket-failed waived until 2026-12-03 by policy.yaml:13: Port clash with the legacy proxy until it is retired; required-socket-inactive waived until 2026-12-03 by policy.yaml:13: Port clash with the legacy proxy until it is retired',
    );
    expect(web2?.skipped?.['#text']).toContain('Address already in use');
    expect(web2?.skipped?.['#text']).toContain("ss -ltnp 'sport = :8080'");
    const errors = suites.flatMap((s) => s.testcase.filter((c) => c.error !== undefined));
    expect(errors.map((c) => [c.classname, c.error?.type])).toEqual(unknownHosts.map((h) => [h.name, h.reason]));
    expect(Number(doc.testsuites.errors)).toBe(unknownHosts.length);
  });

  it('keeps hostile strings as text, newlines in attributes included', () => {
    const db1 = suites.find((s) => s.name === 'db-1');
    expect(db1?.testcase.map((c) => c.name)).toContain(`evil${hostile.img}\n.socket`);
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain('<script');
  });
});

describe('Markdown', () => {
  const md = renderMarkdown(report);

  it('has GitHub tables whose rows all have as many cells as their header', () => {
    const tables = md.split('\n\n').filter((block) => block.startsWith('| '));
    expect(tables.length).toBeGreaterThanOrEqual(5);
    for (const table of tables) {
      const cells = table.split('\n').map((row) => row.replace(/\\\|/g, '').split('|').length);
      expect(new Set(cells).size).toBe(1);
    }
  });

  it('keeps every host string inside code spans: no raw HTML, link or mention can render', () => {
    const outsideCode = md.replace(/(`+)[^`]*?\1/g, '');
    expect(outsideCode).not.toMatch(/<(?!sub>|\/sub>)/);
    expect(outsideCode).not.toContain('@SUM');
    expect(outsideCode).not.toContain('onerror');
  });

  it('summarises per unit, per host and unknown hosts by reason, and stays bounded', () => {
    expect(md).toContain('| `shop-api.socket` | 2 of 7 | Required by policy ×2, Port already in use ×1, Cause not determined ×1 | 252: 1/2 · 257: 1/1 | `web-2`, `web-3` |');
    expect(md).toMatch(/\| `refused` connection refused \| 2 \| `edge-1`, `edge-2` \|/);
    const short = renderMarkdown(report, { maxRows: 2 });
    expect(short).toContain(`_…and ${report.findings.length - 2} more: see the full report`);
    expect(short.length).toBeLessThan(md.length);
  });
});

describe('Prometheus text format', () => {
  const text = renderPrometheus(report);
  const families = parseStrictPrometheus(text);
  const family = (name: string): (typeof families)[number] => {
    const found = families.find((f) => f.name === name);
    if (found === undefined) throw new Error(`no ${name}`);
    return found;
  };

  it('parses strictly: HELP and TYPE for every family, sockaudit_ names, no timestamps', () => {
    for (const f of families) {
      expect(f.name).toMatch(/^sockaudit_[a-z_]+$/);
      expect(f.help).not.toBe('');
      expect(f.type).toBe('gauge');
    }
    expect(text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).every((l) => l.split(' ').length >= 2)).toBe(true);
    expect(family('sockaudit_audit_timestamp_seconds').samples[0]?.value).toBe(Date.parse(report.finishedAt) / 1000);
  });

  it('exports audit success per host with the reason, socket states as a state set, and findings with bounded labels', () => {
    const success = family('sockaudit_host_audit_success').samples;
    expect(success.filter((s) => s.value === 0).map((s) => [s.labels.host, s.labels.reason])).toEqual(unknownHosts.map((h) => [h.name, h.reason]));
    const states = family('sockaudit_socket_state').samples;
    const sockets = report.hosts.reduce((n, h) => n + h.sockets.length, 0);
    expect(states.filter((s) => s.value === 1)).toHaveLength(sockets);
    expect(states).toHaveLength(sockets * 5);
    const finding = family('sockaudit_finding').samples.find((s) => s.labels.host === 'web-2');
    expect(finding?.labels).toEqual({ host: 'web-2', unit: 'shop-api.socket', kind: 'socket-failed', severity: 'critical', cause: 'port-in-use', result: 'resources' });
    // Free text (descriptions, journal lines, commands) never becomes a label value.
    expect(text).not.toContain('Address already in use');
    expect(text).not.toContain('ss -ltnp');
  });

  it('escapes label values so hostile unit names round-trip', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const units = family('sockaudit_socket_state').samples.map((s) => s.labels.unit);
    expect(units).toContain(`evil${hostile.img}\n.socket`);
    expect(units).toContain('gpg\\x2dagent-ssh.socket');
  });

  it('merges samples a lying host would repeat, instead of emitting a duplicate series', () => {
    const twice = assessFleet([audited({ name: 'h' }, { sockets: [makeSocket(), makeSocket()] })], { toolVersion: '0', startedAt: new Date(0), finishedAt: new Date(1000) });
    expect(() => parseStrictPrometheus(renderPrometheus(twice))).not.toThrow();
  });
});

describe('JSONL', () => {
  const lines = renderJsonl(report).trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; index?: number });

  it('is one host line per host in inventory order, then one summary line', () => {
    expect(lines.map((l) => l.type)).toEqual([...report.hosts.map(() => 'host'), 'summary']);
    expect(lines.slice(0, -1).map((l) => l.index)).toEqual(report.hosts.map((_, i) => i));
  });

  it('reads back into the same report, in any line order', () => {
    expect(readFleetReport(renderJsonl(report), 'x.jsonl')).toEqual(report);
    const text = renderJsonl(report).trimEnd().split('\n');
    const shuffled = [...text.slice(0, -1).reverse(), text.at(-1)].join('\n');
    expect(readFleetReport(shuffled, 'x.jsonl')).toEqual(report);
  });
});

describe('HTML (static checks; the browser test runs it)', () => {
  const page = renderHtml(report);

  it('is one file that loads nothing: a strict CSP, no external URL, inline assets only', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1]?.replace(/&#39;/g, "'");
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:; base-uri 'none'; form-action 'none'$/);
    expect(page).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(page.match(/<script/g)).toHaveLength(1);
  });

  it('escapes every hostile string', () => {
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    // eslint-disable-next-line no-control-regex
    expect(page).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });
});
