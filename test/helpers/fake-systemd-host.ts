// Runs the REAL probe script with the local POSIX sh against stand-in `systemctl` and
// `journalctl` commands that answer with captured outputs (test/fixtures/commands/…). This
// exercises the script's shell and awk (mawk or gawk, chosen per run) end to end without a
// systemd host. The stand-ins log their argv, so tests can check how unit names were quoted.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProbe, probeScriptFor } from '../../src/probes/probe-script.js';

export interface FakeHostFiles {
  version: string;
  units: string;
  unitFiles: string;
  showSockets: string;
  showServices: string;
  /** journalctl -o json lines of the whole host; filtered by -u, --since and -n like journalctl. */
  journal: string;
  /** Template units that exist (answers of `list-unit-files --type=service NAME@.service`). */
  templates?: string[];
  /** stderr and exit status of `journalctl --no-pager -n 0` (the access check). */
  accessStderr?: string;
  accessRc?: number;
  /** Leave journalctl out of PATH. */
  noJournalctl?: boolean;
  /** Run the journal_sudo copy of the script (its journalctl calls go through `sudo -n`). */
  journalSudo?: boolean;
  /**
   * A stand-in `sudo` on PATH: `runs` runs the command it is given (as the same user), else it
   * refuses with this stderr and exit status. Absent: no sudo on the host.
   */
  sudo?: 'runs' | { stderr: string; rc: number };
  /** What `id -u` answers (the tests may run as root); absent: the real id. */
  uid?: number;
}

const fixtureRoot = new URL('../fixtures/commands/', import.meta.url);

/**
 * The captured outputs of one lab host (test/fixtures/commands/systemd-VERSION/SCENARIO/), with
 * the templates such a host has; `extra` overrides any of it.
 */
export function capturedHost(version: number, scenario: string, templates: string[], extra: Partial<FakeHostFiles> = {}): FakeHostFiles {
  const dir = join(fileURLToPath(fixtureRoot), `systemd-${version}`, scenario);
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return {
    version: read('version.txt'),
    units: read('list-units.plain.txt'),
    unitFiles: read('list-unit-files.txt'),
    showSockets: read('show-sockets.txt'),
    showServices: read('show-services.txt'),
    journal: read('journal.json.txt'),
    templates,
    ...extra,
  };
}

export interface FakeRun {
  stdout: string;
  stderr: string;
  code: number | null;
  /** argv of every stand-in call, one array per call. */
  calls: string[][];
}

const systemctlJs = String.raw`#!/usr/bin/env node
const fs = require('fs'); const path = require('path');
const dir = path.dirname(__dirname); const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify(['systemctl', ...args]) + '\n');
const read = (f) => fs.readFileSync(path.join(dir, 'files', f), 'utf8');
const has = (a) => args.includes(a);
if (has('--version')) { process.stdout.write(read('version')); process.exit(0); }
if (has('is-system-running')) { process.stdout.write('degraded\n'); process.exit(1); }
if (has('list-units')) { process.stdout.write(read('units')); process.exit(0); }
if (has('list-unit-files') && has('--type=socket')) { process.stdout.write(read('unit-files')); process.exit(0); }
if (has('list-unit-files') && has('--type=service')) {
  const known = JSON.parse(read('templates'));
  const names = args.slice(args.indexOf('--') + 1);
  for (const n of names) if (known.includes(n)) process.stdout.write(n + ' static -\n');
  process.exit(0);
}
if (has('show')) {
  const props = args[args.indexOf('-p') + 1] || '';
  process.stdout.write(read(props.includes('Listen') ? 'show-sockets' : 'show-services'));
  process.exit(0);
}
process.stderr.write('fake systemctl: unexpected ' + args.join(' ') + '\n'); process.exit(1);
`;

const journalctlJs = String.raw`#!/usr/bin/env node
const fs = require('fs'); const path = require('path');
const dir = path.dirname(__dirname); const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify(['journalctl', ...args]) + '\n');
const access = JSON.parse(fs.readFileSync(path.join(dir, 'files', 'access'), 'utf8'));
if (!args.includes('-o')) { process.stderr.write(access.stderr); process.exit(access.rc); }
if (access.rc !== 0) { process.stderr.write(access.stderr); process.exit(access.rc); }
const units = []; let since = null; let n = Infinity;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-u') units.push(args[++i]);
  else if (args[i] === '-n') n = Number(args[++i]);
  else if (args[i].startsWith('--since=@')) since = Number(args[i].slice(9)) * 1e6;
}
const lines = fs.readFileSync(path.join(dir, 'files', 'journal'), 'utf8').split('\n').filter(Boolean).filter((l) => {
  const o = JSON.parse(l);
  const t = Number(o.__REALTIME_TIMESTAMP);
  const match = [o.UNIT, o._SYSTEMD_UNIT, o.OBJECT_SYSTEMD_UNIT, o.COREDUMP_UNIT].some((u) => units.includes(u));
  return match && (since === null || t >= since);
});
for (const l of lines.slice(Math.max(0, lines.length - n))) process.stdout.write(l + '\n');
`;

const sudoJs = String.raw`#!/usr/bin/env node
const fs = require('fs'); const path = require('path'); const { spawnSync } = require('child_process');
const dir = path.dirname(__dirname); const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify(['sudo', ...args]) + '\n');
const answer = JSON.parse(fs.readFileSync(path.join(dir, 'files', 'sudo'), 'utf8'));
if (args[0] !== '-n') { process.stderr.write('fake sudo: would have asked for a password\n'); process.exit(1); }
if (answer !== 'runs') { process.stderr.write(answer.stderr); process.exit(answer.rc); }
const run = spawnSync(args[1], args.slice(2), { stdio: 'inherit' });
process.exit(run.status === null ? 1 : run.status);
`;

export function awkVariants(): Array<{ name: string; path: string }> {
  return [
    { name: 'mawk', path: '/usr/bin/mawk' },
    { name: 'gawk', path: '/usr/bin/gawk' },
  ].filter((a) => existsSync(a.path));
}

export async function runProbeOnFakeHost(files: FakeHostFiles, awkPath: string, nonce = 'FAKEHOSTNONCE'): Promise<FakeRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sockaudit-fakehost-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'files'));
  mkdirSync(join(dir, 'run-systemd-system'));
  const put = (name: string, text: string): void => writeFileSync(join(dir, 'files', name), text);
  put('version', files.version);
  put('units', files.units);
  put('unit-files', files.unitFiles);
  put('show-sockets', files.showSockets);
  put('show-services', files.showServices);
  put('journal', files.journal);
  put('templates', JSON.stringify(files.templates ?? []));
  put('access', JSON.stringify({ stderr: files.accessStderr ?? '', rc: files.accessRc ?? 0 }));
  writeFileSync(join(bin, 'systemctl'), systemctlJs);
  chmodSync(join(bin, 'systemctl'), 0o755);
  if (files.noJournalctl !== true) {
    writeFileSync(join(bin, 'journalctl'), journalctlJs);
    chmodSync(join(bin, 'journalctl'), 0o755);
  }
  if (files.sudo !== undefined) {
    put('sudo', JSON.stringify(files.sudo));
    writeFileSync(join(bin, 'sudo'), sudoJs);
    chmodSync(join(bin, 'sudo'), 0o755);
  }
  if (files.uid !== undefined) {
    writeFileSync(join(bin, 'id'), `#!/bin/sh\necho ${files.uid}\n`);
    chmodSync(join(bin, 'id'), 0o755);
  }
  symlinkSync(awkPath, join(bin, 'awk'));
  // Only these tools, so that a real systemctl/journalctl of the machine never answers.
  const tools = ['cat', 'date', 'dd', 'env', 'grep', 'head', 'mkdir', 'mktemp', 'rm', 'sed', 'sort', 'timeout', ...(files.uid === undefined ? ['id'] : [])];
  for (const tool of tools) {
    const real = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (real !== undefined) symlinkSync(real, join(bin, tool));
  }
  symlinkSync(process.execPath, join(bin, 'node'));
  // The probe checks /run/systemd/system to know systemd is PID 1; point it at a stand-in.
  const script = probeScriptFor(buildProbe(nonce), { journalSudo: files.journalSudo === true }).replaceAll('/run/systemd/system', join(dir, 'run-systemd-system'));
  const run = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
    const child = execFile('/bin/sh', ['-s'], { env: { PATH: bin, HOME: dir }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : null });
    });
    child.stdin?.end(script);
  });
  const callsFile = join(dir, 'calls.jsonl');
  const calls = existsSync(callsFile)
    ? readFileSync(callsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[])
    : [];
  return { ...run, calls };
}
