// `--local`: the machine sockaudit runs on, audited without SSH. The probe runs under `sh`
// exactly as it would remotely, with the same output cap, command timeout and outcomes.
import os from 'node:os';
import type { HostTarget } from '../model/types.js';
import type { ExecOptions, ExecOutcome, RemoteShell } from './remote-shell.js';
import { runProcess } from './run-process.js';
import { oneLine } from './ssh-errors.js';

export class LocalShell implements RemoteShell {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async exec(host: HostTarget, command: string, options: ExecOptions): Promise<ExecOutcome> {
    const run = await runProcess({
      file: '/bin/sh',
      args: ['-c', command],
      stdin: options.stdin ?? '',
      env: this.env,
      timeoutMs: host.commandTimeoutMs,
      maxOutputBytes: options.maxOutputBytes,
      signal: options.signal,
    });
    if (run.kind === 'exited') {
      return { ok: true, result: { stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode, signal: run.signal, durationMs: run.durationMs } };
    }
    const reason = run.kind === 'timeout' ? 'command-timeout' : run.kind === 'aborted' ? 'deadline' : run.kind === 'output-limit' ? 'output-limit' : 'ssh-error';
    return { ok: false, reason, detail: oneLine(run.detail), durationMs: run.durationMs };
  }
}

/** The one host of a `--local` audit: this machine, under its own name. */
export function localHost(commandTimeoutMs: number): HostTarget {
  let user = '';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (containers): the report shows an empty user rather than failing.
  }
  return {
    name: os.hostname(),
    address: 'localhost',
    port: 0,
    user,
    identityFiles: [],
    useAgent: false,
    knownHostsFiles: [],
    connectTimeoutMs: 0,
    commandTimeoutMs,
    groups: [],
    labels: { transport: 'local' },
  };
}
