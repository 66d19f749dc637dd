// The built CLI interrupted mid-run: SIGINT or SIGTERM stops new connections, closes open ones
// and still writes a complete, valid report (stdout and --report file) with the interrupted
// hosts marked; a second signal quits at once.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetReport } from '../../src/model/types.js';
import { readFleetReport } from '../../src/report/read-fleet-report.js';
import { cliPath } from '../helpers/run-cli.js';
import { startFaultFleet, type FaultFleet } from './fault-fleet.js';

let fleet: FaultFleet;
let inventory: string;

beforeAll(async () => {
  fleet = await startFaultFleet([
    ['ok', 30],
    ['hang', 10],
  ]);
  const lines = fleet.hosts.map((h) => `  - { name: ${h.name}, address: 127.0.0.1, port: ${h.port}, user: ${h.user} }`);
  inventory = fleet.dir.file('inventory.yaml');
  await writeFile(
    inventory,
    `defaults:\n  identity_file: ${fleet.dir.file('id')}\n  known_hosts_file: ${fleet.dir.file('known_hosts')}\n  use_agent: false\n  command_timeout: 60s\nhosts:\n${lines.join('\n')}\n`,
  );
});

afterAll(async () => {
  await fleet.close();
});

function startCli(args: string[]): ChildProcessWithoutNullStreams {
  // All hosts share one in-process server, so the per-address cap is lifted.
  return spawn(process.execPath, [cliPath, 'audit', '-i', inventory, '--max-per-address', '64', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Polls until `predicate` holds; fails after `ms` (a bound, not a measured time). */
async function until(predicate: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await sleep(20);
  }
}

/**
 * Waits until the CLI itself says every other host is done (its JSONL host lines on stdout)
 * and every hung host's command is running. Watching the server's sockets instead races the
 * CLI on a loaded machine: a host can look finished to the server before the CLI has it.
 */
async function untilOnlyHungHostsRemain(stdout: () => string): Promise<void> {
  const hostLines = (): number => stdout().split('\n').filter((line) => line.startsWith('{"type":"host"')).length;
  await until(() => hostLines() === 30 && fleet.hangingExecs === 10);
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

describe.each(['SIGINT', 'SIGTERM'] as const)('the built CLI on %s', (signal) => {
  it('writes a complete report in every requested format, the interrupted hosts marked', async () => {
    const reportFile = fleet.dir.file(`report-${signal}.json`);
    const child = startCli(['-f', 'jsonl', '--report', `json:${reportFile}`, '-c', '64']);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = exited(child);
    await untilOnlyHungHostsRemain(() => stdout);
    child.kill(signal);
    expect(await code).not.toBeNull();
    expect(stderr).toContain(signal === 'SIGINT' ? 'interrupted; finishing the report' : 'terminated; finishing the report');

    for (const report of [readFleetReport(stdout, 'stdout'), JSON.parse(await readFile(reportFile, 'utf8')) as FleetReport]) {
      expect(report.hosts.map((h) => h.name)).toEqual(fleet.hosts.map((h) => h.name));
      for (const host of report.hosts) {
        if (host.name.startsWith('hang')) {
          expect(host).toMatchObject({ status: 'unknown', reason: 'deadline', attempts: 1 });
          expect(host.detail).toMatch(new RegExp(`while the command ran: run interrupted by ${signal}$`));
        } else {
          expect(host).toMatchObject({ status: 'audited', attempts: 1 });
        }
      }
      expect(report.summary.hostsUnknown).toBe(10);
    }
    // Closed, not abandoned: the server sees no connection left.
    await fleet.server.whenIdle();
  });
});

describe('the built CLI on a second signal', () => {
  it('dies of that signal at once, even while blocked reading a file', async () => {
    // The inventory is a named pipe we open but never write: the CLI sits waiting to read it
    // after installing its signal handlers, so the first SIGINT cannot finish the run.
    const fifo = fleet.dir.file('inventory.fifo');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [cliPath, 'audit', '-i', fifo], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const ended = new Promise<string>((resolve) => child.once('close', (exitCode, signal) => resolve(`${exitCode} ${signal}`)));
    // Opening the write end without blocking succeeds only once the CLI has the read end open.
    let writer: number | undefined;
    await until(() => {
      try {
        writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
        return true;
      } catch {
        return false;
      }
    });
    try {
      child.kill('SIGINT');
      await until(() => stderr.includes('interrupted; finishing the report'));
      expect(child.exitCode).toBeNull();
      child.kill('SIGINT');
      // Killed by the signal itself, as a shell sees it: status 130.
      expect(await ended).toBe('null SIGINT');
    } finally {
      if (writer !== undefined) closeSync(writer);
    }
  });
});
