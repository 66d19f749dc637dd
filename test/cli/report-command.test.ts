// `sockaudit report`: a saved run re-rendered in every format without touching a host, the
// same exit code as the audit (re-gated with --fail-on / --max-unknown), and clear errors
// (exit 2) for input that is not a sockaudit report.
import { readFile, writeFile } from 'node:fs/promises';
import { Readable, PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { assessFleet } from '../../src/model/assess.js';
import { readFleetReport } from '../../src/report/read-fleet-report.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderTable } from '../../src/report/render-table.js';
import { audited, makeService, makeSocket, unknown } from '../helpers/model-factories.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/reports/${name}`, import.meta.url));
const rich = fixture('rich-report.json');

let dir: TempDir;
/** A run with one warning (a service in a restart loop) and one unknown host. */
let warningRun: string;

beforeAll(async () => {
  dir = await makeTempDir();
  const report = assessFleet(
    [
      audited(
        { name: 'app-1' },
        {
          sockets: [makeSocket({ unit: 'api.socket', sub: 'running' })],
          services: { 'api.service': makeService({ active: 'activating', sub: 'auto-restart', result: 'exit-code', nRestarts: 3 }) },
        },
      ),
      unknown({ name: 'edge-1' }, 'refused', 'connect ECONNREFUSED'),
    ],
    { toolVersion: '0.1.0', startedAt: new Date('2026-11-28T10:00:00Z'), finishedAt: new Date('2026-11-28T10:00:01Z') },
  );
  warningRun = dir.file('warning.json');
  await writeFile(warningRun, renderJson(report));
});

afterAll(async () => {
  await dir.remove();
});

describe('sockaudit report (built CLI)', () => {
  it.each([
    ['csv', 'rich-report.csv'],
    ['html', 'rich-report.html'],
    ['junit', 'rich-report.junit.xml'],
    ['markdown', 'rich-report.md'],
    ['prometheus', 'rich-report.prom'],
    ['jsonl', 'rich-report.jsonl'],
    ['json', 'rich-report.json'],
  ])('renders a saved run as %s, exactly like the renderer golden, and exits like the audit (1)', async (format, golden) => {
    const run = await runBuiltCli(['report', rich, '-f', format]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(await readFile(fixture(golden), 'utf8'));
  });

  it('renders the terminal table too (its own tests own its layout)', async () => {
    const run = await runBuiltCli(['report', rich]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(renderTable(readFleetReport(await readFile(rich, 'utf8'), rich), { color: false }));
  });

  it('reads a JSONL report as well, and writes several files with -o and --report', async () => {
    const run = await runBuiltCli(['report', fixture('rich-report.jsonl'), '-f', 'html', '-o', dir.file('r', 'a.html'), '--report', `junit:${dir.file('r', 'j.xml')}`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(await readFile(dir.file('r', 'a.html'), 'utf8')).toBe(await readFile(fixture('rich-report.html'), 'utf8'));
    expect(await readFile(dir.file('r', 'j.xml'), 'utf8')).toBe(await readFile(fixture('rich-report.junit.xml'), 'utf8'));
  });

  it('re-gates a saved run with --fail-on and --max-unknown', async () => {
    expect((await runBuiltCli(['report', warningRun])).code).toBe(1);
    expect((await runBuiltCli(['report', warningRun, '--fail-on', 'critical'])).code).toBe(3);
    expect((await runBuiltCli(['report', warningRun, '--fail-on', 'critical', '--max-unknown', '1'])).code).toBe(0);
    expect((await runBuiltCli(['report', warningRun, '--fail-on', 'fatal'])).code).toBe(2);
  });

  it.each([
    ['a missing file', null, /missing\.json: cannot read the report: no such file/],
    ['text that is not JSON', 'hello', /bad\.json: not valid JSON: /],
    ['a newer schema', '{"schemaVersion":2}', /bad\.json schemaVersion: unsupported schemaVersion 2; this sockaudit reads schemaVersion 1/],
    ['JSON that is not a report', '{"hosts":[]}', /bad\.json schemaVersion: missing: not a sockaudit report/],
    ['a report of the wrong shape', null, /bad\.json hosts\[0\]\.port: expected a number, got "ssh"\n.*bad\.json findings\[0\]\.host: missing/s],
    ['a JSONL stream cut before its summary', null, /bad\.json: no summary line after 1 host line\(s\): the run did not finish/],
  ])('exits 2 with a clear message on %s', async (_what, content, message) => {
    let file = dir.file('missing.json');
    if (_what === 'a report of the wrong shape') {
      const report = JSON.parse(await readFile(rich, 'utf8')) as { hosts: { port: unknown }[]; findings: Record<string, unknown>[] };
      if (report.hosts[0]) report.hosts[0].port = 'ssh';
      delete report.findings[0]?.host;
      content = JSON.stringify(report);
    }
    if (_what === 'a JSONL stream cut before its summary') content = (await readFile(fixture('rich-report.jsonl'), 'utf8')).split('\n')[0] ?? '';
    if (content !== null) {
      file = dir.file('bad.json');
      await writeFile(file, content);
    }
    const run = await runBuiltCli(['report', file, '-f', 'html']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});

describe('sockaudit report - (stdin)', () => {
  it('reads the saved report from standard input', async () => {
    let written = '';
    const stdout = new PassThrough();
    stdout.on('data', (c: Buffer) => (written += c.toString('utf8')));
    const stdin = Readable.from([await readFile(rich)]);
    const code = await runCli(['report', '-', '-f', 'csv'], { stdout, stderr: new PassThrough(), stdin, env: {} });
    expect(code).toBe(1);
    expect(written).toBe(await readFile(fixture('rich-report.csv'), 'utf8'));
  });
});
