import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { LocalShell, localHost } from '../../src/ssh/local-shell.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { FleetReport } from '../../src/model/types.js';

const shell = new LocalShell();
const host = localHost(2_000);
const run = (script: string, maxOutputBytes = 1 << 20, signal?: AbortSignal) => shell.exec(host, 'sh -s', { stdin: script, maxOutputBytes, signal });

/** Whether a process still runs; a killed one left unreaped (a zombie) does not. Linux /proc. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe('LocalShell', () => {
  it('runs the script on stdin and returns stdout, stderr and the exit status as data', async () => {
    const outcome = await run('echo out; echo err >&2; exit 3\n');
    expect(outcome).toMatchObject({ ok: true, result: { stdout: 'out\n', stderr: 'err\n', exitCode: 3, signal: null } });
  });

  it('ends a command past its timeout as command-timeout, children included', async () => {
    const dir = await makeTempDir();
    onTestFinished(() => dir.remove());
    const pidFile = dir.file('child.pid');
    const outcome = await run(`sleep 30 & echo $! > ${pidFile}; sleep 30\n`);
    expect(outcome).toMatchObject({ ok: false, reason: 'command-timeout' });
    // The background child went with its parent (the whole process group is killed).
    const child = Number(await readFile(pidFile, 'utf8'));
    expect(child).toBeGreaterThan(0);
    await vi.waitFor(() => expect(isRunning(child)).toBe(false), { interval: 20 });
  });

  it('stops at the output cap with output-limit', async () => {
    const outcome = await run('yes sockaudit\n', 10_000);
    expect(outcome).toMatchObject({ ok: false, reason: 'output-limit' });
  });

  it('ends as deadline when the run is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await run('sleep 30\n', 1 << 20, controller.signal)).toMatchObject({ ok: false, reason: 'deadline' });
  });
});

describe('sockaudit audit --local (built CLI)', () => {
  // This machine's PID 1 is not systemd (a container): the probe must say so, never "healthy".
  it.runIf(!existsSync('/run/systemd/system'))('reports this machine as unknown no-systemd and exits 3', async () => {
    const cli = await runBuiltCli(['audit', '--local', '-f', 'json']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(3);
    const report = JSON.parse(cli.stdout) as FleetReport;
    expect(report.hosts).toHaveLength(1);
    expect(report.hosts[0]).toMatchObject({ status: 'unknown', reason: 'no-systemd', labels: { transport: 'local' } });
  });

  it('refuses --local together with an inventory, and no inventory without --local', async () => {
    const both = await runBuiltCli(['audit', '--local', '-i', 'x.yaml']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--local: audits this machine only');
    const none = await runBuiltCli(['audit']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('or --local to audit this machine');
  });
});
