// `sockaudit audit` writing the new formats: several reports from one run, JSONL streamed
// while hosts finish, report paths checked before anything is contacted, and the progress
// bar on a TTY (and only there).
import { readFile, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { FleetReport } from '../../src/model/types.js';
import { readFleetReport } from '../../src/report/read-fleet-report.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { startFakeFleet, type FakeFleet } from './fake-fleet.js';

let fleet: FakeFleet;

beforeAll(async () => {
  fleet = await startFakeFleet(['web-1', 'web-3', 'app-2']);
});

afterAll(async () => {
  await fleet.close();
});

describe('sockaudit audit with several reports (built CLI)', () => {
  it('writes html, junit, csv, prometheus and jsonl files besides markdown on stdout, from one run', async () => {
    const out = (name: string): string => fleet.dir.file('out', name);
    const run = await runBuiltCli([
      'audit', '-i', await fleet.inventory(['web-1', 'web-3', 'app-2'], ['edge-9']), '-f', 'markdown',
      '--report', `html:${out('a.html')}`, '--report', `junit:${out('j.xml')}`, '--report', `csv:${out('c.csv')}`,
      '--report', `prometheus:${out('m.prom')}`, '--report', `jsonl:${out('l.jsonl')}`, '--report', `json:${out('r.json')}`,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^## sockaudit: ❌ 2 socket problems \(2 critical\) on 2 of 3 audited hosts · ⚠️ 1 host not audited\n/);
    const json = JSON.parse(await readFile(out('r.json'), 'utf8')) as FleetReport;
    // The streamed JSONL reads back into the very report the JSON file holds.
    expect(readFleetReport(await readFile(out('l.jsonl'), 'utf8'), 'l.jsonl')).toEqual(json);
    const html = await readFile(out('a.html'), 'utf8');
    expect(html).toContain('shop-api.socket');
    expect(XMLValidator.validate(await readFile(out('j.xml'), 'utf8'))).toBe(true);
    expect((await readFile(out('c.csv'), 'utf8')).split('\r\n')[1]).toMatch(/^web-3,127\.0\.0\.1,\d+,,problem,critical,socket-failed,shop-api\.socket,/);
    expect(await readFile(out('m.prom'), 'utf8')).toContain('sockaudit_host_audit_success{host="edge-9",reason="refused"} 0');
  });

  it('streams one JSONL line per host as it finishes, then the summary line', async () => {
    const run = await runBuiltCli(['audit', '-i', await fleet.inventory(['web-1', 'web-3'], ['edge-9']), '-f', 'jsonl']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; index?: number; host?: { name: string } });
    expect(lines.at(-1)?.type).toBe('summary');
    expect(lines.slice(0, -1).map((l) => `${l.index} ${l.host?.name}`).sort()).toEqual(['0 web-1', '1 web-3', '2 edge-9']);
  });

  it('refuses a report path it cannot write before contacting any host (exit 2)', async () => {
    const blocker = fleet.dir.file('a-file');
    await writeFile(blocker, 'x');
    const before = fleet.connections();
    const run = await runBuiltCli(['audit', '-i', await fleet.inventory(['web-1']), '--report', `html:${blocker}/sub/a.html`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot write the html report here');
    expect(fleet.connections()).toBe(before);
  });

  it('rejects an unknown format and two reports on stdout (exit 2)', async () => {
    const file = await fleet.inventory(['web-1']);
    const bad = await runBuiltCli(['audit', '-i', file, '--report', 'pdf:x.pdf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--report: expected one of table, json, jsonl, csv, html, junit, markdown, prometheus, got "pdf"');
    const twice = await runBuiltCli(['audit', '-i', file, '--report', 'csv:-']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('only one report can go to stdout');
  });
});

/** A stream that says it is a terminal, keeping what was written. */
function fakeTty(): PassThrough & { isTTY: boolean; columns: number; text(): string } {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number; text(): string };
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  stream.isTTY = true;
  stream.columns = 100;
  stream.text = () => written;
  return stream;
}

describe('progress bar', () => {
  it('draws on a TTY stderr while hosts are audited, erases itself around streamed JSONL lines and at the end', async () => {
    const stdout = fakeTty();
    const stderr = fakeTty();
    const code = await runCli(['audit', '-i', await fleet.inventory(['web-1', 'web-3', 'app-2']), '-f', 'jsonl'], { stdout, stderr, env: {} });
    expect(code).toBe(1);
    const frames = stderr.text().split('\r\u001b[2K').filter((f) => f !== '');
    expect(frames[0]).toMatch(/^░{24} 0\/3 hosts · 0 with failed sockets · 0 unknown$/);
    expect(frames.at(-1)).toMatch(/^█{24} 3\/3 hosts · 2 with failed sockets · 0 unknown$/);
    expect(stderr.text().endsWith('\r\u001b[2K')).toBe(true);
    // Every stdout line is a whole JSON line: the bar never lands inside one.
    for (const line of stdout.text().trimEnd().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('stays silent when stderr is not a terminal, and with --no-progress', async () => {
    const stdout = new PassThrough();
    const stderr = fakeTty();
    stderr.isTTY = false;
    let written = '';
    stdout.on('data', (c: Buffer) => (written += c.toString('utf8')));
    expect(await runCli(['audit', '-i', await fleet.inventory(['web-1']), '-f', 'csv'], { stdout, stderr, env: {} })).toBe(0);
    expect(stderr.text()).toBe('');
    expect(written.split('\r\n')[0]).toMatch(/^host,address,port,/);
    const tty = fakeTty();
    expect(await runCli(['audit', '-i', await fleet.inventory(['web-1']), '-f', 'csv', '--no-progress'], { stdout: new PassThrough(), stderr: tty, env: {} })).toBe(0);
    expect(tty.text()).toBe('');
  });
});
